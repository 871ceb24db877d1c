// Replaces the global allocation functions for the test binaries so that heap_guard can count
// allocations. Single-threaded by the tests' contract; the counters are atomics anyway.
#include "support/heap_guard.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<int> active_guards{0};               // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
std::atomic<std::size_t> counted{0};             // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

void* allocate(std::size_t n) {
  if (active_guards.load(std::memory_order_relaxed) > 0) {
    counted.fetch_add(1, std::memory_order_relaxed);
  }
  void* p = std::malloc(n == 0 ? 1 : n);  // NOLINT(cppcoreguidelines-no-malloc)
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}
void* allocate_aligned(std::size_t n, std::align_val_t al) {
  if (active_guards.load(std::memory_order_relaxed) > 0) {
    counted.fetch_add(1, std::memory_order_relaxed);
  }
  const auto a = static_cast<std::size_t>(al);
  const std::size_t size = ((n == 0 ? 1 : n) + a - 1) / a * a;
  void* p = std::aligned_alloc(a, size);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}
}  // namespace

namespace thermo::test {
heap_guard::heap_guard() noexcept : start_(counted.load()) { ++active_guards; }
heap_guard::~heap_guard() { --active_guards; }
std::size_t heap_guard::allocations() const noexcept { return counted.load() - start_; }
std::size_t guarded_allocations() noexcept { return counted.load(); }
}  // namespace thermo::test

// NOLINTBEGIN(cppcoreguidelines-no-malloc,misc-new-delete-overloads)
void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
// NOLINTEND(cppcoreguidelines-no-malloc,misc-new-delete-overloads)
