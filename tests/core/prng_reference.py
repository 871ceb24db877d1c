#!/usr/bin/env python3
"""Independent reference for include/thermo/core/prng.hpp (not run by the build).

Written from the published descriptions of the algorithms, not from thermo's C++, and used to
produce the expected values pinned in tests/core/prng_test.cpp and tests/static/prng_static.cpp:

* xoshiro256** 1.0 and its jump polynomials: Blackman & Vigna, https://prng.di.unimi.it/
* SplitMix64: Steele, Lea & Flood (2014), Vigna's splitmix64.c
* uniform_below: Lemire, "Fast random integer generation in an interval" (2019)
* normal: Marsaglia's polar method with the log/sqrt procedures documented in prng.hpp,
  evaluated in Python floats (IEEE-754 binary64, no FMA), so the bits must match C++ built with
  -ffp-contract=off.

Run: python3 tests/core/prng_reference.py
"""
import struct

M64 = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & M64

    def __call__(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)


class Xoshiro256StarStar:
    JUMP = [0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C]
    LONG_JUMP = [0x76E15D3EFEFDCBBF, 0xC5004E441C522FB3, 0x77710069854EE241, 0x39109BB02ACBE635]

    def __init__(self, state):
        self.s = list(state)

    @classmethod
    def seeded(cls, seed):
        sm = SplitMix64(seed)
        return cls([sm() for _ in range(4)])

    def __call__(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def _jump(self, poly):
        acc = [0, 0, 0, 0]
        for word in poly:
            for b in range(64):
                if (word >> b) & 1:
                    acc = [a ^ x for a, x in zip(acc, self.s)]
                self()
        self.s = acc

    def jump(self):
        self._jump(self.JUMP)

    def long_jump(self):
        self._jump(self.LONG_JUMP)


def uniform_below(g, bound):
    m = g() * bound
    lo = m & M64
    if lo < bound:
        threshold = ((1 << 64) - bound) % bound
        while lo < threshold:
            m = g() * bound
            lo = m & M64
    return m >> 64


def uniform_int(g, lo, hi):
    span = (hi - lo) & M64
    off = g() if span == M64 else uniform_below(g, span + 1)
    return lo + off


def uniform_real(g):
    return float(g() >> 11) * 2.0 ** -53


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


LN2 = 0.693147180559945309417232121458176568
SQRT2 = 1.41421356237309504880168872420969808


def log_positive(x):
    e = 0
    if x < 2.2250738585072014e-308:
        x *= 2.0 ** 54
        e = -54
    b = bits(x)
    e += (b >> 52) - 1023
    m = from_bits((b & ((1 << 52) - 1)) | (1023 << 52))
    if m > SQRT2:
        m *= 0.5
        e += 1
    f = m - 1.0
    s = f / (2.0 + f)
    s2 = s * s
    poly = 1.0 / 21.0
    for k in range(9, -1, -1):
        poly = poly * s2 + 1.0 / float(2 * k + 1)
    return float(e) * LN2 + 2.0 * s * poly


def sqrt_nonnegative(x):
    if x == 0.0:
        return x
    if x < 2.0 ** -1000:
        return sqrt_nonnegative(x * 2.0 ** 100) * 2.0 ** -50
    y = from_bits((bits(x) >> 1) + (1023 << 51))
    for _ in range(6):
        y = 0.5 * (y + x / y)
    return y


def normals(g, n):
    out = []
    while len(out) < n:
        while True:
            u = 2.0 * uniform_real(g) - 1.0
            v = 2.0 * uniform_real(g) - 1.0
            s = u * u + v * v
            if not (s >= 1.0 or s == 0.0):
                break
        f = sqrt_nonnegative(-2.0 * log_positive(s) / s)
        out += [u * f, v * f]
    return out[:n]


if __name__ == "__main__":
    g = Xoshiro256StarStar([1, 2, 3, 4])
    print("xoshiro256** {1,2,3,4}:", [g() for _ in range(10)])
    sm = SplitMix64(1234567)
    print("splitmix64(1234567):", [sm() for _ in range(5)])
    g = Xoshiro256StarStar.seeded(1234)
    for _ in range(10000):
        g()
    g.jump()
    g.long_jump()
    print("php vector (seed 1234, 10000 calls, jump, long_jump):", hex(g()))
    g = Xoshiro256StarStar([1, 2, 3, 4])
    g.jump()
    print("jump({1,2,3,4}):", [hex(w) for w in g.s])
    g = Xoshiro256StarStar([1, 2, 3, 4])
    g.long_jump()
    print("long_jump({1,2,3,4}):", [hex(w) for w in g.s])
    g = Xoshiro256StarStar.seeded(42)
    print("seed 42:", [hex(g()) for _ in range(3)])
    g = Xoshiro256StarStar.seeded(42)
    print("seed 42 uniform_below(6) x8:", [uniform_below(g, 6) for _ in range(8)])
    g = Xoshiro256StarStar.seeded(42)
    print("seed 42 uniform_int(-1000, 1000) x4:", [uniform_int(g, -1000, 1000) for _ in range(4)])
    g = Xoshiro256StarStar.seeded(42)
    print("seed 42 uniform_real x2:", [uniform_real(g).hex() for _ in range(2)])
    g = Xoshiro256StarStar.seeded(42)
    print("seed 42 normal x4:", [x.hex() for x in normals(g, 4)])
