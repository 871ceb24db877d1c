/// @file dense.hpp
/// Dense linear algebra for the thermal RC network (host-side, no heap, no exceptions).
///
/// Not a general-purpose library: row-major square matrices with a leading dimension `ld`
/// (the row stride, so a network with capacity `MaxNodes` can hold fewer nodes), and only what
/// the model needs:
///
/// * `symmetric_eigen` — all eigenvalues and eigenvectors of a symmetric matrix by Householder
///   tridiagonalisation followed by the implicit symmetric QR iteration with Wilkinson shifts
///   (Golub & Van Loan, *Matrix Computations*, §8.3). Backward stable: the computed pairs are
///   exact for a matrix within a few ε·‖A‖ of the input, eigenvectors orthonormal to ~N·ε.
/// * `cholesky_factor` / `cholesky_solve` — G = L Lᵀ for symmetric positive definite systems.
/// * `dot` / `axpy` — fixed-order kernels. `dot` keeps four partial sums in a fixed order, so the
///   result is deterministic and the compiler can vectorise it without `-ffast-math`.
///
/// All routines are O(n³) at most, iterative ones have a fixed iteration cap, none recurses.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <type_traits>

namespace thermo::detail::linalg {

/// Σ a[k]·b[k] for k < n, summed in a fixed order with four partial sums (deterministic).
template <class T>
[[nodiscard]] inline T dot(const T* a, const T* b, std::size_t n) noexcept {
  T s0{};
  T s1{};
  T s2{};
  T s3{};
  std::size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += a[k] * b[k];
    s1 += a[k + 1] * b[k + 1];
    s2 += a[k + 2] * b[k + 2];
    s3 += a[k + 3] * b[k + 3];
  }
  for (; k < n; ++k) {
    s0 += a[k] * b[k];
  }
  return (s0 + s1) + (s2 + s3);
}

/// out[i] = off[i] + dot(a + i·n, x, n) for i < m: m dot products with the rows of a row-major
/// m×n matrix, each summed exactly as `dot` sums, so out[i] has the same bits.
template <class T>
inline void dots(const T* a, std::size_t m, const T* x, std::size_t n, const T* off, T* out) noexcept {
  for (std::size_t i = 0; i < m; ++i) {
    out[i] = off[i] + dot(a + i * n, x, n);
  }
}

/// `dots` for a compile-time shape (M outputs of N terms) with the matrix stored by columns:
/// a[k·L + i] is row i's k-th entry, L = M rounded up to even (the padding row is ignored), and
/// `off` has L entries. The same sums in the same order as `dots` (so the same bits), with no
/// loop left at run time and two outputs per pass, one per lane of a two-double vector (GCC
/// and Clang vector extensions; plain scalar code elsewhere — each lane does exactly the
/// scalar arithmetic). Each result goes to `emit(i, value)`, in order of i: a caller that also
/// looks at the values (peaks) uses them from registers instead of loading them back from
/// where it stored them.
template <std::size_t M, std::size_t N, class T, class Emit>
inline void dots_by_columns(const T* a, const T* x, const T* off, Emit&& emit) noexcept {
  constexpr std::size_t L = (M + 1) / 2 * 2;
#if defined(__GNUC__) || defined(__clang__)
  if constexpr (std::is_same_v<T, double>) {
    using pair = double __attribute__((vector_size(16)));
    const auto load = [](const double* p) {
      pair v;
      std::memcpy(&v, p, sizeof v);
      return v;
    };
    for (std::size_t i = 0; i < L; i += 2) {
      pair s0{};
      pair s1{};
      pair s2{};
      pair s3{};
      std::size_t k = 0;
      for (; k + 4 <= N; k += 4) {
        s0 += load(a + k * L + i) * pair{x[k], x[k]};
        s1 += load(a + (k + 1) * L + i) * pair{x[k + 1], x[k + 1]};
        s2 += load(a + (k + 2) * L + i) * pair{x[k + 2], x[k + 2]};
        s3 += load(a + (k + 3) * L + i) * pair{x[k + 3], x[k + 3]};
      }
      for (; k < N; ++k) {
        s0 += load(a + k * L + i) * pair{x[k], x[k]};
      }
      const pair r = load(off + i) + ((s0 + s1) + (s2 + s3));
      emit(i, r[0]);
      if (i + 1 < M) {
        emit(i + 1, r[1]);
      }
    }
    return;
  }
#endif
  for (std::size_t i = 0; i < M; ++i) {  // the same sums, one output at a time
    T s[4] = {T{}, T{}, T{}, T{}};
    std::size_t k = 0;
    for (; k + 4 <= N; k += 4) {
      for (std::size_t j = 0; j < 4; ++j) {
        s[j] += a[(k + j) * L + i] * x[k + j];
      }
    }
    for (; k < N; ++k) {
      s[0] += a[k * L + i] * x[k];
    }
    emit(i, off[i] + ((s[0] + s[1]) + (s[2] + s[3])));
  }
}

/// y[k] += alpha·x[k] for k < n.
template <class T>
inline void axpy(T alpha, const T* x, T* y, std::size_t n) noexcept {
  for (std::size_t k = 0; k < n; ++k) {
    y[k] += alpha * x[k];
  }
}

/// In-place Cholesky factorisation of the symmetric n×n matrix `a` (row stride `ld`): on success
/// the lower triangle holds L with A = L Lᵀ (the strict upper triangle is left untouched).
/// Uses only the lower triangle of the input.
/// @return n on success, otherwise the index of the first pivot that is not positive (the
///         leading minor of that size is not positive definite).
template <class T>
[[nodiscard]] std::size_t cholesky_factor(T* a, std::size_t n, std::size_t ld) noexcept {
  for (std::size_t j = 0; j < n; ++j) {
    T* row_j = a + j * ld;
    T diag = row_j[j] - dot(row_j, row_j, j);
    if (!(diag > T{0}) || !std::isfinite(diag)) {
      return j;
    }
    const T l_jj = std::sqrt(diag);
    row_j[j] = l_jj;
    for (std::size_t i = j + 1; i < n; ++i) {
      T* row_i = a + i * ld;
      row_i[j] = (row_i[j] - dot(row_i, row_j, j)) / l_jj;
    }
  }
  return n;
}

/// Solves L Lᵀ x = b in place (`x` holds b on entry), with L from `cholesky_factor`. O(n²).
template <class T>
void cholesky_solve(const T* l, std::size_t n, std::size_t ld, T* x) noexcept {
  for (std::size_t i = 0; i < n; ++i) {  // L z = b
    const T* row_i = l + i * ld;
    x[i] = (x[i] - dot(row_i, x, i)) / row_i[i];
  }
  for (std::size_t i = n; i-- > 0;) {  // Lᵀ x = z (column access of L)
    T s = x[i];
    for (std::size_t k = i + 1; k < n; ++k) {
      s -= l[k * ld + i] * x[k];
    }
    x[i] = s / l[i * ld + i];
  }
}

/// Householder reduction of the symmetric n×n matrix `a` to tridiagonal form T = Qᵀ A Q.
/// On return `d[0..n)` is T's diagonal, `e[0..n-1)` its sub-diagonal, and `a` holds Q
/// (row-major, columns are the new basis vectors). Uses the lower triangle and the diagonal of
/// the input; the upper triangle is overwritten.
template <class T>
void householder_tridiagonalise(T* a, std::size_t n, std::size_t ld, T* d, T* e) noexcept {
  const auto at = [a, ld](std::size_t i, std::size_t j) -> T& { return a[i * ld + j]; };
  if (n == 0) {
    return;
  }
  // Work on a full symmetric copy of the trailing block: mirror the lower triangle first.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      at(j, i) = at(i, j);
    }
  }
  // Reflections. Step k zeroes column k below the sub-diagonal with H_k = I − β v vᵀ acting on
  // indices k+1..n-1. v is scaled so that v[0] = 1; v[1..] is kept in column k below row k+1 and
  // β in the sub-diagonal slot a(k+1, k), both of which are free once the step is done.
  for (std::size_t k = 0; k + 2 < n; ++k) {
    const std::size_t m = n - k - 1;  // length of the vector being reflected
    const T x0 = at(k + 1, k);
    T sigma{0};  // sum of squares below x0
    for (std::size_t i = 2; i <= m; ++i) {
      sigma += at(k + i, k) * at(k + i, k);
    }
    d[k] = at(k, k);
    if (sigma == T{0}) {  // already tridiagonal in this column: H_k = I
      e[k] = x0;
      at(k + 1, k) = T{0};  // β = 0
      continue;
    }
    const T norm = std::sqrt(x0 * x0 + sigma);
    const T alpha = x0 > T{0} ? -norm : norm;  // opposite sign to x0: no cancellation in v0
    const T v0 = x0 - alpha;
    // Unscaled v = (v0, x1, …); vᵀv = v0² + sigma; β = 2 / vᵀv. Scale v by 1/v0.
    const T beta = T{2} * v0 * v0 / (v0 * v0 + sigma);
    for (std::size_t i = 2; i <= m; ++i) {
      at(k + i, k) /= v0;
    }
    e[k] = alpha;
    // v_i = (i == 1 ? 1 : a(k+i, k)) for i = 1..m, indices into the trailing block k+1..n-1.
    const auto v = [&](std::size_t i) -> T { return i == 1 ? T{1} : at(k + i, k); };
    // p = β B v (stored temporarily in d[k+1..n-1]... d beyond k is still free) and
    // K = β pᵀv / 2; q = p − K v; B ← B − v qᵀ − q vᵀ.
    T* p = d + k + 1;
    for (std::size_t i = 1; i <= m; ++i) {
      T s{0};
      for (std::size_t j = 1; j <= m; ++j) {
        s += at(k + i, k + j) * v(j);
      }
      p[i - 1] = beta * s;
    }
    T ptv{0};
    for (std::size_t i = 1; i <= m; ++i) {
      ptv += p[i - 1] * v(i);
    }
    const T kk = beta * ptv / T{2};
    for (std::size_t i = 1; i <= m; ++i) {
      p[i - 1] -= kk * v(i);  // p now holds q
    }
    for (std::size_t i = 1; i <= m; ++i) {
      const T vi = v(i);
      const T qi = p[i - 1];
      for (std::size_t j = 1; j <= m; ++j) {
        at(k + i, k + j) -= vi * p[j - 1] + qi * v(j);
      }
    }
    at(k + 1, k) = beta;
  }
  // The last 2×2 block is already tridiagonal.
  if (n >= 2) {
    d[n - 2] = at(n - 2, n - 2);
    e[n - 2] = at(n - 1, n - 2);
    at(n - 1, n - 2) = T{0};  // no reflection stored for k = n-2
  }
  d[n - 1] = at(n - 1, n - 1);
  e[n - 1] = T{0};

  // Accumulate Q = H_0 H_1 … H_{n-3} backwards: Q_k = H_k Q_{k+1}, where Q_{k+1} is the identity
  // on indices ≤ k+1. Q_{k+1}'s non-trivial block [k+2.., k+2..] is already in place; row and
  // column k+1 are set to e_{k+1} before H_k is applied to the block [k+1.., k+1..].
  const auto set_unit = [&](std::size_t j) {
    for (std::size_t i = j + 1; i < n; ++i) {
      at(i, j) = T{0};
      at(j, i) = T{0};
    }
    at(j, j) = T{1};
  };
  set_unit(n - 1);
  if (n >= 2) {
    set_unit(n - 2);
  }
  for (std::size_t k = n >= 3 ? n - 2 : 0; k-- > 0;) {
    // Here block [k+2.., k+2..] holds Q_{k+1}; make row/col k+1 unit (frees the slot of v_{k+1},
    // already consumed).
    const T beta = at(k + 1, k);
    set_unit(k + 1);
    if (beta != T{0}) {
      const std::size_t m = n - k - 1;
      const auto v = [&](std::size_t i) -> T { return i == 1 ? T{1} : at(k + i, k); };
      // Block B = rows/cols k+1..n-1; B ← B − β v (vᵀ B). Only columns k+1.. are non-zero in
      // rows k+1.. (row k+1 is unit), so compute wᵀ = vᵀ B column by column.
      for (std::size_t j = 1; j <= m; ++j) {
        T s{0};
        for (std::size_t i = 1; i <= m; ++i) {
          s += v(i) * at(k + i, k + j);
        }
        s *= beta;
        if (s != T{0}) {
          for (std::size_t i = 1; i <= m; ++i) {
            at(k + i, k + j) -= s * v(i);
          }
        }
      }
    }
  }
  set_unit(0);
}

/// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QR iteration
/// with Wilkinson shifts. `d` (diagonal, n) and `e` (sub-diagonal, n-1 used) are overwritten:
/// `d` receives the eigenvalues (unsorted). Every rotation is also applied to rows of `v`
/// (row stride `ld`), so if `v` holds Qᵀ on entry it holds the eigenvectors as rows on exit.
/// @return false if some eigenvalue needed more than 60 iterations (never observed).
template <class T>
[[nodiscard]] bool tridiagonal_qr(T* d, T* e, std::size_t n, T* v, std::size_t ld) noexcept {
  constexpr T eps = std::numeric_limits<T>::epsilon();
  const auto negligible = [&](std::size_t i) {  // is e[i] (between i and i+1) negligible?
    return std::fabs(e[i]) <= eps * (std::fabs(d[i]) + std::fabs(d[i + 1]));
  };
  std::size_t hi = n == 0 ? 0 : n - 1;
  int iterations = 0;
  while (hi > 0) {
    if (negligible(hi - 1)) {
      e[hi - 1] = T{0};
      --hi;
      iterations = 0;
      continue;
    }
    std::size_t lo = hi - 1;
    while (lo > 0 && !negligible(lo - 1)) {
      --lo;
    }
    if (lo > 0) {
      e[lo - 1] = T{0};
    }
    if (++iterations > 60) {
      return false;
    }
    // Wilkinson shift: the eigenvalue of the trailing 2×2 block closer to d[hi].
    const T delta = (d[hi - 1] - d[hi]) / T{2};
    const T b = e[hi - 1];
    const T denom = delta + std::copysign(std::hypot(delta, b), delta);
    const T mu = denom != T{0} ? d[hi] - b * b / denom : d[hi] - std::fabs(b);
    T x = d[lo] - mu;
    T z = e[lo];
    for (std::size_t k = lo; k < hi; ++k) {
      // Rotation in the (k, k+1) plane that zeroes z against x.
      const T r = std::hypot(x, z);
      T c{1};
      T s{0};
      if (r != T{0}) {
        c = x / r;
        s = -z / r;
      }
      if (k > lo) {
        e[k - 1] = r;
      }
      const T a0 = d[k];
      const T b0 = e[k];
      const T c0 = d[k + 1];
      const T cs = c * s;
      d[k] = c * c * a0 - T{2} * cs * b0 + s * s * c0;
      d[k + 1] = s * s * a0 + T{2} * cs * b0 + c * c * c0;
      e[k] = cs * (a0 - c0) + (c * c - s * s) * b0;
      if (k + 1 < hi) {
        z = -s * e[k + 1];  // bulge at (k+2, k)
        e[k + 1] *= c;
        x = e[k];
      }
      T* vp = v + k * ld;
      T* vq = v + (k + 1) * ld;
      for (std::size_t j = 0; j < n; ++j) {
        const T p = vp[j];
        const T q = vq[j];
        vp[j] = c * p - s * q;
        vq[j] = s * p + c * q;
      }
    }
  }
  return true;
}

/// All eigenpairs of the symmetric n×n matrix `a` (row stride `ld`; lower triangle used).
/// On success `w[0..n)` holds the eigenvalues in ascending order and row k of `a` the unit
/// eigenvector of `w[k]`. `e` is workspace of n elements. O(n³) (about 9n³ flops).
/// @return false if the QR iteration failed to converge.
template <class T>
[[nodiscard]] bool symmetric_eigen(T* a, std::size_t n, std::size_t ld, T* w, T* e) noexcept {
  householder_tridiagonalise(a, n, ld, w, e);
  // a holds Q (columns); the QR phase rotates rows, so transpose to Qᵀ.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const T t = a[i * ld + j];
      a[i * ld + j] = a[j * ld + i];
      a[j * ld + i] = t;
    }
  }
  if (!tridiagonal_qr(w, e, n, a, ld)) {
    return false;
  }
  // Selection sort, ascending (n swaps of rows at most: O(n²)).
  for (std::size_t i = 0; i + 1 < n; ++i) {
    std::size_t best = i;
    for (std::size_t j = i + 1; j < n; ++j) {
      if (w[j] < w[best]) {
        best = j;
      }
    }
    if (best != i) {
      const T t = w[i];
      w[i] = w[best];
      w[best] = t;
      for (std::size_t j = 0; j < n; ++j) {
        const T u = a[i * ld + j];
        a[i * ld + j] = a[best * ld + j];
        a[best * ld + j] = u;
      }
    }
  }
  return true;
}

}  // namespace thermo::detail::linalg
