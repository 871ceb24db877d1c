/// @file xml_check.hpp
/// A strict little XML well-formedness checker for tests: every SVG thermo writes is parsed with
/// it. Checks the prolog, element nesting, attribute syntax (quoted, no duplicates), entity
/// references and that nothing but whitespace follows the root element. Returns an empty string
/// when well-formed, else a message with the byte offset.
#pragma once

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace thermo::test {

inline std::string xml_check(std::string_view doc) {
  std::size_t i = 0;
  std::vector<std::string> stack;
  bool seen_root = false;
  auto fail = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == ':' || c == '.';
  };
  auto check_text = [&](std::size_t from, std::size_t to) -> std::string {
    for (std::size_t k = from; k < to; ++k) {
      if (doc[k] == '<') {
        return "raw '<' in text";
      }
      if (doc[k] == '&') {
        const auto semi = doc.find(';', k);
        if (semi == std::string_view::npos || semi > to) {
          return "unterminated entity";
        }
        const auto ent = doc.substr(k + 1, semi - k - 1);
        static const std::set<std::string_view> known{"amp", "lt", "gt", "quot", "apos"};
        if (!known.contains(ent) && !(ent.size() > 1 && ent[0] == '#')) {
          return "unknown entity &" + std::string(ent) + ";";
        }
      }
    }
    return {};
  };
  if (doc.starts_with("<?xml")) {
    const auto e = doc.find("?>");
    if (e == std::string_view::npos) {
      return fail("unterminated XML declaration");
    }
    i = e + 2;
  }
  while (i < doc.size()) {
    const auto lt = doc.find('<', i);
    const std::size_t text_end = lt == std::string_view::npos ? doc.size() : lt;
    if (auto e = check_text(i, text_end); !e.empty()) {
      return fail(e);
    }
    if (stack.empty()) {
      for (std::size_t k = i; k < text_end; ++k) {
        if (std::isspace(static_cast<unsigned char>(doc[k])) == 0) {
          i = k;
          return fail("text outside the root element");
        }
      }
    }
    if (lt == std::string_view::npos) {
      break;
    }
    i = lt + 1;
    if (doc.substr(i).starts_with("!--")) {
      const auto e = doc.find("-->", i);
      if (e == std::string_view::npos) {
        return fail("unterminated comment");
      }
      i = e + 3;
      continue;
    }
    const bool closing = i < doc.size() && doc[i] == '/';
    if (closing) {
      ++i;
    }
    const std::size_t ns = i;
    while (i < doc.size() && is_name_char(doc[i])) {
      ++i;
    }
    const std::string name(doc.substr(ns, i - ns));
    if (name.empty()) {
      return fail("missing element name");
    }
    if (closing) {
      while (i < doc.size() && std::isspace(static_cast<unsigned char>(doc[i])) != 0) {
        ++i;
      }
      if (i >= doc.size() || doc[i] != '>') {
        return fail("malformed closing tag");
      }
      if (stack.empty() || stack.back() != name) {
        return fail("closing </" + name + "> does not match");
      }
      stack.pop_back();
      ++i;
      continue;
    }
    if (stack.empty() && seen_root) {
      return fail("second root element");
    }
    std::set<std::string> attrs;
    for (;;) {
      while (i < doc.size() && std::isspace(static_cast<unsigned char>(doc[i])) != 0) {
        ++i;
      }
      if (i >= doc.size()) {
        return fail("unterminated tag <" + name + ">");
      }
      if (doc[i] == '>') {
        stack.push_back(name);
        seen_root = true;
        ++i;
        break;
      }
      if (doc[i] == '/' && i + 1 < doc.size() && doc[i + 1] == '>') {
        seen_root = true;
        i += 2;
        break;
      }
      const std::size_t as = i;
      while (i < doc.size() && is_name_char(doc[i])) {
        ++i;
      }
      const std::string attr(doc.substr(as, i - as));
      if (attr.empty() || i >= doc.size() || doc[i] != '=') {
        return fail("malformed attribute in <" + name + ">");
      }
      if (!attrs.insert(attr).second) {
        return fail("duplicate attribute " + attr);
      }
      ++i;
      if (i >= doc.size() || (doc[i] != '"' && doc[i] != '\'')) {
        return fail("unquoted attribute " + attr);
      }
      const char q = doc[i++];
      const auto end = doc.find(q, i);
      if (end == std::string_view::npos) {
        return fail("unterminated attribute " + attr);
      }
      if (auto e = check_text(i, end); !e.empty()) {
        return fail(e + " in attribute " + attr);
      }
      i = end + 1;
    }
  }
  if (!stack.empty()) {
    return fail("unclosed <" + stack.back() + ">");
  }
  if (!seen_root) {
    return "no root element";
  }
  return {};
}

}  // namespace thermo::test
