/// @file result.hpp
/// `result<T, E>`: a value or an error, a subset of C++23 `std::expected`.
///
/// Implicitly constructible from a `T` and from an `E` (by default `errc`), so functions read
/// `return errc::out_of_range;` and `return value;`. Accessing the wrong alternative is a
/// precondition violation (`THERMO_ASSERT`). No exceptions, no heap.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"

namespace thermo {

// result is a hand-written tagged union (no std::variant: it must stay trivially copyable and
// usable without exceptions); has_ says which member is alive.
// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access)
template <class T, class E = errc>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, E>, "value and error types must differ");
  static_assert(std::is_trivially_copyable_v<E>, "the error type must be trivially copyable");

 public:
  using value_type = T;
  using error_type = E;

  // NOLINTNEXTLINE(google-explicit-constructor): implicit from a value, like std::expected
  constexpr result(const T& v) noexcept(std::is_nothrow_copy_constructible_v<T>)
      : has_(true), v_(v) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  constexpr result(T&& v) noexcept(std::is_nothrow_move_constructible_v<T>)
      : has_(true), v_(std::move(v)) {}
  constexpr result(E e) noexcept : has_(false), e_(e) {}  // NOLINT(google-explicit-constructor)

  /// Builds the value in place (for large or non-movable T).
  template <class... Args>
  constexpr explicit result(std::in_place_t /*tag*/, Args&&... args)
      : has_(true), v_(std::forward<Args>(args)...) {}

  // Copy, move and destruction are trivial when T's are, so result<T> of a trivially copyable T
  // is itself trivially copyable (a plain struct on a firmware target).
  constexpr result(const result&)
    requires std::is_trivially_copy_constructible_v<T>
  = default;
  constexpr result(const result& o)
    requires(!std::is_trivially_copy_constructible_v<T>)
      : has_(o.has_) {
    construct_from(o);
  }
  constexpr result(result&&)
    requires std::is_trivially_move_constructible_v<T>
  = default;
  constexpr result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>)
    requires(!std::is_trivially_move_constructible_v<T>)
      : has_(o.has_) {
    construct_from(std::move(o));
  }
  constexpr result& operator=(const result&)
    requires std::is_trivially_copy_assignable_v<T> && std::is_trivially_destructible_v<T>
  = default;
  constexpr result& operator=(const result& o)
    requires(!(std::is_trivially_copy_assignable_v<T> && std::is_trivially_destructible_v<T>))
  {
    if (this != &o) {
      destroy();
      has_ = o.has_;
      construct_from(o);
    }
    return *this;
  }
  constexpr result& operator=(result&&)
    requires std::is_trivially_move_assignable_v<T> && std::is_trivially_destructible_v<T>
  = default;
  constexpr result& operator=(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>)
    requires(!(std::is_trivially_move_assignable_v<T> && std::is_trivially_destructible_v<T>))
  {
    if (this != &o) {
      destroy();
      has_ = o.has_;
      construct_from(std::move(o));
    }
    return *this;
  }
  constexpr ~result()
    requires std::is_trivially_destructible_v<T>
  = default;
  constexpr ~result()
    requires(!std::is_trivially_destructible_v<T>)
  {
    destroy();
  }

  [[nodiscard]] constexpr bool has_value() const noexcept { return has_; }
  constexpr explicit operator bool() const noexcept { return has_; }

  [[nodiscard]] constexpr T& value() & noexcept {
    THERMO_ASSERT(has_);
    return v_;
  }
  [[nodiscard]] constexpr const T& value() const& noexcept {
    THERMO_ASSERT(has_);
    return v_;
  }
  [[nodiscard]] constexpr T&& value() && noexcept {
    THERMO_ASSERT(has_);
    return std::move(v_);
  }
  [[nodiscard]] constexpr T& operator*() & noexcept { return value(); }
  [[nodiscard]] constexpr const T& operator*() const& noexcept { return value(); }
  [[nodiscard]] constexpr T* operator->() noexcept { return &value(); }
  [[nodiscard]] constexpr const T* operator->() const noexcept { return &value(); }

  template <class U>
  [[nodiscard]] constexpr T value_or(U&& fallback) const& {
    return has_ ? v_ : static_cast<T>(std::forward<U>(fallback));
  }
  [[nodiscard]] constexpr E error() const noexcept {
    THERMO_ASSERT(!has_);
    return e_;
  }

 private:
  template <class R>
  constexpr void construct_from(R&& o) {
    if (has_) {
      std::construct_at(&v_, std::forward<R>(o).v_);
    } else {
      std::construct_at(&e_, o.e_);
    }
  }
  constexpr void destroy() noexcept {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      if (has_) {
        v_.~T();
      }
    }
  }

  bool has_;
  union {
    T v_;
    E e_;
  };
};
// NOLINTEND(cppcoreguidelines-pro-type-union-access)

}  // namespace thermo
