/// @file static_vector.hpp
/// `static_vector<T, Capacity>`: a vector with in-object storage and a compile-time capacity.
///
/// Growing past the capacity is a run-time condition, reported as `errc::capacity_exceeded`
/// by `push_back`/`emplace_back`; indexing out of range is a precondition (`THERMO_ASSERT`).
/// Functions that accept "a static_vector of any capacity" take `std::span<T>`.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"

namespace thermo {

// A container over raw storage: its pointer arithmetic is bounded by size_ and Capacity.
// NOLINTBEGIN(cppcoreguidelines-pro-bounds-pointer-arithmetic)
template <class T, std::size_t Capacity>
class static_vector {
  static_assert(Capacity > 0, "a static_vector needs a capacity of at least one");

 public:
  using value_type = T;
  using size_type = std::size_t;
  using reference = T&;
  using const_reference = const T&;
  using iterator = T*;
  using const_iterator = const T*;

  constexpr static_vector() noexcept = default;
  constexpr static_vector(const static_vector& o) {
    for (const T& v : o) {
      std::construct_at(data() + size_++, v);
    }
  }
  constexpr static_vector(static_vector&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    for (T& v : o) {
      std::construct_at(data() + size_++, std::move(v));
    }
  }
  constexpr static_vector& operator=(const static_vector& o) {
    if (this != &o) {
      clear();
      for (const T& v : o) {
        std::construct_at(data() + size_++, v);
      }
    }
    return *this;
  }
  constexpr static_vector& operator=(static_vector&& o) noexcept(
      std::is_nothrow_move_constructible_v<T>) {
    if (this != &o) {
      clear();
      for (T& v : o) {
        std::construct_at(data() + size_++, std::move(v));
      }
    }
    return *this;
  }
  constexpr ~static_vector() { clear(); }

  [[nodiscard]] static constexpr size_type capacity() noexcept { return Capacity; }
  [[nodiscard]] constexpr size_type size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] constexpr bool full() const noexcept { return size_ == Capacity; }

  [[nodiscard]] constexpr T* data() noexcept { return &storage_.items[0]; }
  [[nodiscard]] constexpr const T* data() const noexcept { return &storage_.items[0]; }
  [[nodiscard]] constexpr iterator begin() noexcept { return data(); }
  [[nodiscard]] constexpr iterator end() noexcept { return data() + size_; }
  [[nodiscard]] constexpr const_iterator begin() const noexcept { return data(); }
  [[nodiscard]] constexpr const_iterator end() const noexcept { return data() + size_; }

  [[nodiscard]] constexpr T& operator[](size_type i) noexcept {
    THERMO_ASSERT(i < size_);
    return data()[i];
  }
  [[nodiscard]] constexpr const T& operator[](size_type i) const noexcept {
    THERMO_ASSERT(i < size_);
    return data()[i];
  }
  [[nodiscard]] constexpr T& front() noexcept { return (*this)[0]; }
  [[nodiscard]] constexpr T& back() noexcept { return (*this)[size_ - 1]; }
  [[nodiscard]] constexpr const T& front() const noexcept { return (*this)[0]; }
  [[nodiscard]] constexpr const T& back() const noexcept { return (*this)[size_ - 1]; }

  /// Appends `v`; `errc::capacity_exceeded` (and no change) when full.
  [[nodiscard]] constexpr errc push_back(const T& v) { return emplace_back(v); }
  [[nodiscard]] constexpr errc push_back(T&& v) { return emplace_back(std::move(v)); }
  template <class... Args>
  [[nodiscard]] constexpr errc emplace_back(Args&&... args) {
    if (size_ == Capacity) {
      return errc::capacity_exceeded;
    }
    std::construct_at(data() + size_, std::forward<Args>(args)...);
    ++size_;
    return errc::ok;
  }
  constexpr void pop_back() noexcept {
    THERMO_ASSERT(size_ > 0);
    --size_;
    std::destroy_at(data() + size_);
  }
  /// Removes element `i`, keeping the order of the others.
  constexpr void erase(size_type i) noexcept {
    THERMO_ASSERT(i < size_);
    for (size_type k = i + 1; k < size_; ++k) {
      data()[k - 1] = std::move(data()[k]);
    }
    pop_back();
  }
  constexpr void clear() noexcept {
    while (size_ > 0) {
      pop_back();
    }
  }

  [[nodiscard]] constexpr std::span<T> span() noexcept { return {data(), size_}; }
  [[nodiscard]] constexpr std::span<const T> span() const noexcept { return {data(), size_}; }

  friend constexpr bool operator==(const static_vector& a, const static_vector& b) noexcept {
    if (a.size_ != b.size_) {
      return false;
    }
    for (size_type i = 0; i < a.size_; ++i) {
      if (!(a.data()[i] == b.data()[i])) {
        return false;
      }
    }
    return true;
  }

 private:
  // Plain value types live in a plain array (usable in constant expressions on every
  // compiler); others in a union so that unused slots are never constructed. "Plain" includes
  // types whose default constructor is not trivial only because of a default member
  // initialiser (thermo's units): clang cannot construct_at into an array inside a union during
  // constant evaluation, so static_vector<millicelsius, N> would not be constexpr there.
  static constexpr bool trivial = std::is_trivially_copyable_v<T> &&
                                  std::is_trivially_destructible_v<T> &&
                                  std::is_nothrow_default_constructible_v<T>;
  struct trivial_storage {
    T items[Capacity]{};  // NOLINT(*-avoid-c-arrays): raw storage
  };
  union union_storage {
    constexpr union_storage() noexcept {}  // NOLINT(modernize-use-equals-default): items unborn
    constexpr ~union_storage() {}          // NOLINT(modernize-use-equals-default)
    union_storage(const union_storage&) = delete;
    union_storage& operator=(const union_storage&) = delete;
    union_storage(union_storage&&) = delete;
    union_storage& operator=(union_storage&&) = delete;
    T items[Capacity];  // NOLINT(*-avoid-c-arrays): raw storage
  };
  std::conditional_t<trivial, trivial_storage, union_storage> storage_;
  size_type size_{0};
};
// NOLINTEND(cppcoreguidelines-pro-bounds-pointer-arithmetic)

}  // namespace thermo
