// The dense kernels under rc_network: symmetric eigensolver, Cholesky, dot.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "thermo/model/detail/dense.hpp"

using namespace thermo::detail::linalg;

namespace {

struct lcg {
  std::uint64_t s;
  double operator()() {  // uniform in [-1, 1)
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1.0p-52 - 1.0;
  }
};

// Max residual |A q_k − λ_k q_k| / ‖A‖ and max |QᵀQ − I| for the decomposition in (q, w).
void check_decomposition(const std::vector<double>& a, const std::vector<double>& q, const std::vector<double>& w,
                         std::size_t n, std::size_t ld) {
  double norm = 1e-300;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      norm = std::max(norm, std::fabs(a[i * ld + j]));
    }
  }
  double residual = 0.0;
  double orth = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0) {
      REQUIRE(w[k] >= w[k - 1]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        s += a[i * ld + j] * q[k * ld + j];
      }
      residual = std::max(residual, std::fabs(s - w[k] * q[k * ld + i]));
    }
    for (std::size_t l = 0; l < n; ++l) {
      orth = std::max(orth, std::fabs(dot(&q[k * ld], &q[l * ld], n) - (k == l ? 1.0 : 0.0)));
    }
  }
  INFO("n = " << n << ": residual " << residual / norm << ", orthogonality " << orth);
  CHECK(residual / norm < 1e-13);
  CHECK(orth < 1e-13);
}

}  // namespace

TEST_CASE("symmetric eigensolver: random matrices of every small size and a 140-node one", "[dense][eigen]") {
  lcg rng{7};
  for (std::size_t n : {1U, 2U, 3U, 4U, 5U, 7U, 16U, 33U, 140U}) {
    const std::size_t ld = n + 3;  // a leading dimension larger than n, as in rc_network
    std::vector<double> a(n * ld, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j <= i; ++j) {
        a[i * ld + j] = a[j * ld + i] = rng() * (i == j ? 5.0 : 1.0);
      }
    }
    std::vector<double> q = a;
    std::vector<double> w(n);
    std::vector<double> e(n);
    REQUIRE(symmetric_eigen(q.data(), n, ld, w.data(), e.data()));
    check_decomposition(a, q, w, n, ld);
  }
}

TEST_CASE("symmetric eigensolver: diagonal, repeated and widely graded eigenvalues", "[dense][eigen]") {
  SECTION("diagonal matrix: eigenvalues sorted, exact") {
    const std::size_t n = 4;
    std::vector<double> a{3, 0, 0, 0, 0, -1, 0, 0, 0, 0, 7, 0, 0, 0, 0, 2};
    std::vector<double> q = a;
    std::vector<double> w(n);
    std::vector<double> e(n);
    REQUIRE(symmetric_eigen(q.data(), n, n, w.data(), e.data()));
    CHECK(w == std::vector<double>{-1, 2, 3, 7});
    check_decomposition(a, q, w, n, n);
  }
  SECTION("identity plus a rank-one matrix: a multiple eigenvalue") {
    const std::size_t n = 6;
    std::vector<double> a(n * n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        a[i * n + j] = (i == j ? 1.0 : 0.0) + 0.5;
      }
    }
    std::vector<double> q = a;
    std::vector<double> w(n);
    std::vector<double> e(n);
    REQUIRE(symmetric_eigen(q.data(), n, n, w.data(), e.data()));
    for (std::size_t k = 0; k + 1 < n; ++k) {
      CHECK(w[k] == Approx(1.0).epsilon(1e-14));
    }
    CHECK(w[n - 1] == Approx(4.0).epsilon(1e-14));
    check_decomposition(a, q, w, n, n);
  }
  SECTION("a graded chain (eigenvalues over 12 decades) keeps its small eigenvalues") {
    // Path-graph Laplacian scaled like an RC chain: λ from ~1e-6 to ~1e6.
    const std::size_t n = 12;
    std::vector<double> a(n * n, 0.0);
    std::vector<double> c(n);
    for (std::size_t i = 0; i < n; ++i) {
      c[i] = std::pow(10.0, static_cast<double>(i) - 6.0);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double g = 1.0;
      const double gl = i > 0 ? g : 0.0;
      const double gr = i + 1 < n ? g : 1e-3;  // last node to ambient
      a[i * n + i] = (gl + gr) / c[i];
      if (i + 1 < n) {
        a[i * n + i + 1] = a[(i + 1) * n + i] = -g / std::sqrt(c[i] * c[i + 1]);
      }
    }
    std::vector<double> q = a;
    std::vector<double> w(n);
    std::vector<double> e(n);
    REQUIRE(symmetric_eigen(q.data(), n, n, w.data(), e.data()));
    CHECK(w[0] > 0.0);
    check_decomposition(a, q, w, n, n);
    // Independent check of the smallest eigenvalue through the inverse: λ_min = 1/λ_max(A⁻¹)
    // by power iteration with Cholesky solves.
    std::vector<double> l = a;
    REQUIRE(cholesky_factor(l.data(), n, n) == n);
    std::vector<double> x(n, 1.0);
    double mu = 0.0;
    for (int it = 0; it < 200; ++it) {
      cholesky_solve(l.data(), n, n, x.data());
      mu = std::sqrt(dot(x.data(), x.data(), n));
      for (double& v : x) {
        v /= mu;
      }
    }
    CHECK(w[0] == Approx(1.0 / mu).epsilon(1e-10));
  }
}

TEST_CASE("Cholesky factorises SPD matrices, solves, and reports the failing pivot otherwise", "[dense]") {
  const std::size_t n = 3;
  const std::size_t ld = 4;
  std::vector<double> a{4, 0, 0, 0, 2, 5, 0, 0, -2, 1, 6, 0};  // lower triangle of an SPD matrix
  std::vector<double> full{4, 2, -2, 2, 5, 1, -2, 1, 6};
  std::vector<double> l = a;
  REQUIRE(cholesky_factor(l.data(), n, ld) == n);
  std::vector<double> x{1.0, -2.0, 3.0};
  cholesky_solve(l.data(), n, ld, x.data());
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      s += full[i * n + j] * x[j];
    }
    CHECK(s == Approx(std::vector<double>{1.0, -2.0, 3.0}[i]).epsilon(1e-14));
  }
  std::vector<double> indefinite{1, 0, 0, 0, 2, 1, 0, 0, 0, 0, 1, 0};  // [[1,2],[2,1]] is indefinite
  CHECK(cholesky_factor(indefinite.data(), n, ld) == 1);
}

TEST_CASE("dot sums in a fixed order for every length", "[dense]") {
  for (std::size_t n = 0; n < 11; ++n) {
    std::vector<double> a(n);
    std::vector<double> b(n);
    double expect = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = static_cast<double>(i + 1);
      b[i] = 0.5 * static_cast<double>(i);
      expect += a[i] * b[i];
    }
    CHECK(dot(a.data(), b.data(), n) == expect);  // small integers: exact in any order
  }
}

TEST_CASE("dots gives each row the bits of off + dot, for every length", "[dense]") {
  // Values whose products and sums round: the order of summation shows in the bits.
  for (std::size_t n = 0; n < 11; ++n) {
    const std::size_t m = 7;
    std::vector<double> a(m * n);
    std::vector<double> x(n);
    std::vector<double> off(m);
    for (std::size_t k = 0; k < a.size(); ++k) {
      a[k] = std::sin(0.37 * static_cast<double>(k) + 0.1) * 1e3;
    }
    for (std::size_t k = 0; k < n; ++k) {
      x[k] = std::cos(1.3 * static_cast<double>(k)) / 3.0;
    }
    for (std::size_t i = 0; i < m; ++i) {
      off[i] = 25.0 + 0.1 * static_cast<double>(i);
    }
    std::vector<double> out(m);
    dots(a.data(), m, x.data(), n, off.data(), out.data());
    for (std::size_t i = 0; i < m; ++i) {
      const double expect = off[i] + dot(a.data() + i * n, x.data(), n);
      CHECK(std::memcmp(&out[i], &expect, sizeof expect) == 0);
    }
  }
}

namespace {
// dots_by_columns<M, N> against dots for one shape: the same bits for every output, and
// nothing written past the M outputs (an odd M leaves the padding lane alone).
template <std::size_t M, std::size_t N, class T = double>
void check_dots_by_columns() {
  constexpr std::size_t L = (M + 1) / 2 * 2;
  std::array<T, M * N + 1> a{};  // row-major (for dots)
  std::array<T, L * N + 1> cols{};
  std::array<T, N + 1> x{};
  std::array<T, L> off{};
  for (std::size_t i = 0; i < M; ++i) {
    off[i] = static_cast<T>(25.0 + 0.1 * static_cast<double>(i));
    for (std::size_t k = 0; k < N; ++k) {
      a[i * N + k] = static_cast<T>(std::sin(0.37 * static_cast<double>(i * N + k) + 0.1) * 1e3);
      cols[k * L + i] = a[i * N + k];
    }
  }
  for (std::size_t k = 0; k < N; ++k) {
    x[k] = static_cast<T>(std::cos(1.3 * static_cast<double>(k)) / 3.0);
  }
  std::array<T, M> expect{};
  dots(a.data(), M, x.data(), N, off.data(), expect.data());
  std::array<T, M + 1> out{};
  out[M] = T{12345};
  std::size_t calls = 0;
  dots_by_columns<M, N>(cols.data(), x.data(), off.data(), [&](std::size_t i, T v) {
    CHECK(i == calls);  // in order, each once
    ++calls;
    out[i] = v;
  });
  CHECK(calls == M);
  for (std::size_t i = 0; i < M; ++i) {
    CHECK(std::memcmp(&out[i], &expect[i], sizeof(T)) == 0);
  }
  CHECK(out[M] == T{12345});
}
}  // namespace

TEST_CASE("dots_by_columns gives dots' bits for fixed shapes", "[dense]") {
  check_dots_by_columns<7, 5>();
  check_dots_by_columns<8, 5>();
  check_dots_by_columns<1, 1>();
  check_dots_by_columns<3, 4>();
  check_dots_by_columns<6, 9>();
  check_dots_by_columns<5, 12>();
  check_dots_by_columns<2, 3>();
  // The plain scalar path (no two-double vectors for other types).
  check_dots_by_columns<7, 5, float>();
  check_dots_by_columns<3, 4, float>();
}
