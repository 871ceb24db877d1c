/// @file trace_event_check.hpp
/// A strict checker of Chrome trace-event JSON as thermo writes it (io/perfetto.hpp), for tests:
/// the document parses (io/json.hpp: NaN and infinities are parse errors), is an object with a
/// `traceEvents` array and `displayTimeUnit` "ms"; every event has a string `name` and `ph`,
/// numeric `ts`, integer `pid` and `tid`; `ph` is C, i or M; a counter's `args` is a non-empty
/// object of finite numbers; an instant's scope `s` is p, g or t; metadata is process_name,
/// thread_name (args.name a string) or process_sort_index (args.sort_index an integer); the
/// timestamps of each counter track (pid, name) and of each instant thread (pid, tid) never
/// decrease; every pid used has a process_name. Returns "" or the first problem.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "thermo/io/json.hpp"

namespace thermo::test {

inline std::string trace_event_check(std::string_view doc) {
  const auto parsed = io::parse_json(doc);
  if (!parsed) {
    return "not JSON: " + std::string(parsed.error().what) + " at line " + std::to_string(parsed.error().index);
  }
  const io::json_value& root = *parsed;
  if (!root.is_object() || !root.contains("traceEvents") || !root.at("traceEvents").is_array()) {
    return "no traceEvents array";
  }
  if (!root.contains("displayTimeUnit") || !root.at("displayTimeUnit").is_string() ||
      root.at("displayTimeUnit").as_string() != "ms") {
    return "displayTimeUnit is not \"ms\"";
  }
  std::map<std::pair<std::int64_t, std::string>, double> counter_ts;
  std::map<std::pair<std::int64_t, std::int64_t>, double> instant_ts;
  std::set<std::int64_t> used;
  std::set<std::int64_t> named;
  const auto& events = root.at("traceEvents").as_array();
  for (std::size_t k = 0; k < events.size(); ++k) {
    const io::json_value& e = events[k];
    const std::string at = "event " + std::to_string(k) + ": ";
    if (!e.is_object()) {
      return at + "not an object";
    }
    for (const char* key : {"name", "ph"}) {
      if (!e.contains(key) || !e.at(key).is_string()) {
        return at + "no string " + key;
      }
    }
    for (const char* key : {"pid", "tid"}) {
      if (!e.contains(key) || !e.at(key).is_integer()) {
        return at + "no integer " + key;
      }
    }
    if (!e.contains("ts") || !e.at("ts").is_number()) {
      return at + "no numeric ts";
    }
    const std::string& ph = e.at("ph").as_string();
    const std::string& name = e.at("name").as_string();
    const std::int64_t pid = e.at("pid").as_int64();
    const std::int64_t tid = e.at("tid").as_int64();
    const double ts = e.at("ts").as_double();
    if (ph == "C") {
      if (!e.contains("args") || !e.at("args").is_object() || e.at("args").size() == 0) {
        return at + "a counter without args";
      }
      for (const auto& [key, v] : e.at("args").as_object()) {
        if (!v.is_number()) {
          return at + "counter arg " + key + " is not a number";
        }
      }
      auto [it, fresh] = counter_ts.try_emplace({pid, name}, ts);
      if (!fresh && ts < it->second) {
        return at + "counter track " + name + " goes back in time";
      }
      it->second = ts;
      used.insert(pid);
    } else if (ph == "i") {
      if (!e.contains("s") || !e.at("s").is_string() ||
          (e.at("s").as_string() != "p" && e.at("s").as_string() != "g" && e.at("s").as_string() != "t")) {
        return at + "an instant without scope p, g or t";
      }
      auto [it, fresh] = instant_ts.try_emplace({pid, tid}, ts);
      if (!fresh && ts < it->second) {
        return at + "instants of a thread go back in time";
      }
      it->second = ts;
      used.insert(pid);
    } else if (ph == "M") {
      if (!e.contains("args") || !e.at("args").is_object()) {
        return at + "metadata without args";
      }
      if (name == "process_name" || name == "thread_name") {
        if (!e.at("args").contains("name") || !e.at("args").at("name").is_string()) {
          return at + name + " without a string args.name";
        }
        if (name == "process_name") {
          named.insert(pid);
        }
      } else if (name == "process_sort_index") {
        if (!e.at("args").contains("sort_index") || !e.at("args").at("sort_index").is_integer()) {
          return at + "process_sort_index without an integer args.sort_index";
        }
      } else {
        return at + "unknown metadata " + name;
      }
    } else {
      return at + "ph '" + ph + "' is not C, i or M";
    }
  }
  for (const std::int64_t pid : used) {
    if (named.count(pid) == 0) {
      return "pid " + std::to_string(pid) + " has no process_name";
    }
  }
  return {};
}

}  // namespace thermo::test
