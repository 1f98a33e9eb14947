/* MD5 of up to eight byte strings at once, one in each 32-bit lane of AVX2 registers.
 *
 * Why: verifying a download against a multipart ETag needs the MD5 of every part, and MD5 is
 * serial within one string (OpenSSL's runs at about 400 MiB/s on a core here), so on a
 * two-CPU server it costs more CPU than receiving and writing the bytes. Parts are
 * independent strings, and eight of them hashed in lock step cost about what one costs in
 * scalar code: the same instructions, each on eight lanes.
 *
 * Only the 64-byte block function is here; padding and the running length are the caller's
 * (transfers/md5lanes.py), which also falls back to hashlib where this is not built or the
 * CPU lacks AVX2. Loaded with ctypes, so no CPython ABI is involved, and ctypes releases the
 * GIL for the call.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define TARGET __attribute__((target("avx2")))
#define LANES 8

static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391};

#define ROTL(x, s) _mm256_or_si256(_mm256_slli_epi32((x), (s)), _mm256_srli_epi32((x), 32 - (s)))
#define F(b, c, d) _mm256_xor_si256((d), _mm256_and_si256((b), _mm256_xor_si256((c), (d))))
#define G(b, c, d) _mm256_xor_si256((c), _mm256_and_si256((d), _mm256_xor_si256((b), (c))))
#define H(b, c, d) _mm256_xor_si256((b), _mm256_xor_si256((c), (d)))
#define I(b, c, d) _mm256_xor_si256((c), _mm256_or_si256((b), _mm256_xor_si256((d), ones)))
#define STEP(fn, a, b, c, d, g, i, s)                                                         \
    a = _mm256_add_epi32(                                                                     \
        b, ROTL(_mm256_add_epi32(_mm256_add_epi32(a, fn(b, c, d)),                            \
                                 _mm256_add_epi32(m[g], _mm256_set1_epi32((int)K[i]))),       \
                s))

/* The sixteen message words of block `at` of each lane, word j of every lane in m[j]:
 * eight 32-byte rows (one per lane) transposed as an 8x8 matrix of 32-bit words, twice. */
TARGET static void load_words(__m256i m[16], const uint8_t *const *data, size_t at) {
    for (int half = 0; half < 2; half++) {
        __m256i r[LANES];
        for (int l = 0; l < LANES; l++)
            r[l] = _mm256_loadu_si256((const __m256i *)(data[l] + at + 32 * half));
        __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]), t1 = _mm256_unpackhi_epi32(r[0], r[1]);
        __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]), t3 = _mm256_unpackhi_epi32(r[2], r[3]);
        __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]), t5 = _mm256_unpackhi_epi32(r[4], r[5]);
        __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]), t7 = _mm256_unpackhi_epi32(r[6], r[7]);
        __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
        __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
        __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
        __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
        __m256i *w = m + 8 * half;
        w[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
        w[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
        w[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
        w[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
        w[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
        w[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
        w[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
        w[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
    }
}

TARGET static void blocks8(uint32_t state[4 * LANES], const uint8_t *const *data, size_t n) {
    const __m256i ones = _mm256_set1_epi32(-1);
    __m256i a = _mm256_loadu_si256((const __m256i *)(state + 0 * LANES));
    __m256i b = _mm256_loadu_si256((const __m256i *)(state + 1 * LANES));
    __m256i c = _mm256_loadu_si256((const __m256i *)(state + 2 * LANES));
    __m256i d = _mm256_loadu_si256((const __m256i *)(state + 3 * LANES));
    for (size_t blk = 0; blk < n; blk++) {
        __m256i m[16];
        load_words(m, data, 64 * blk);
        __m256i a0 = a, b0 = b, c0 = c, d0 = d;
        STEP(F, a, b, c, d, 0, 0, 7);    STEP(F, d, a, b, c, 1, 1, 12);
        STEP(F, c, d, a, b, 2, 2, 17);   STEP(F, b, c, d, a, 3, 3, 22);
        STEP(F, a, b, c, d, 4, 4, 7);    STEP(F, d, a, b, c, 5, 5, 12);
        STEP(F, c, d, a, b, 6, 6, 17);   STEP(F, b, c, d, a, 7, 7, 22);
        STEP(F, a, b, c, d, 8, 8, 7);    STEP(F, d, a, b, c, 9, 9, 12);
        STEP(F, c, d, a, b, 10, 10, 17); STEP(F, b, c, d, a, 11, 11, 22);
        STEP(F, a, b, c, d, 12, 12, 7);  STEP(F, d, a, b, c, 13, 13, 12);
        STEP(F, c, d, a, b, 14, 14, 17); STEP(F, b, c, d, a, 15, 15, 22);
        STEP(G, a, b, c, d, 1, 16, 5);   STEP(G, d, a, b, c, 6, 17, 9);
        STEP(G, c, d, a, b, 11, 18, 14); STEP(G, b, c, d, a, 0, 19, 20);
        STEP(G, a, b, c, d, 5, 20, 5);   STEP(G, d, a, b, c, 10, 21, 9);
        STEP(G, c, d, a, b, 15, 22, 14); STEP(G, b, c, d, a, 4, 23, 20);
        STEP(G, a, b, c, d, 9, 24, 5);   STEP(G, d, a, b, c, 14, 25, 9);
        STEP(G, c, d, a, b, 3, 26, 14);  STEP(G, b, c, d, a, 8, 27, 20);
        STEP(G, a, b, c, d, 13, 28, 5);  STEP(G, d, a, b, c, 2, 29, 9);
        STEP(G, c, d, a, b, 7, 30, 14);  STEP(G, b, c, d, a, 12, 31, 20);
        STEP(H, a, b, c, d, 5, 32, 4);   STEP(H, d, a, b, c, 8, 33, 11);
        STEP(H, c, d, a, b, 11, 34, 16); STEP(H, b, c, d, a, 14, 35, 23);
        STEP(H, a, b, c, d, 1, 36, 4);   STEP(H, d, a, b, c, 4, 37, 11);
        STEP(H, c, d, a, b, 7, 38, 16);  STEP(H, b, c, d, a, 10, 39, 23);
        STEP(H, a, b, c, d, 13, 40, 4);  STEP(H, d, a, b, c, 0, 41, 11);
        STEP(H, c, d, a, b, 3, 42, 16);  STEP(H, b, c, d, a, 6, 43, 23);
        STEP(H, a, b, c, d, 9, 44, 4);   STEP(H, d, a, b, c, 12, 45, 11);
        STEP(H, c, d, a, b, 15, 46, 16); STEP(H, b, c, d, a, 2, 47, 23);
        STEP(I, a, b, c, d, 0, 48, 6);   STEP(I, d, a, b, c, 7, 49, 10);
        STEP(I, c, d, a, b, 14, 50, 15); STEP(I, b, c, d, a, 5, 51, 21);
        STEP(I, a, b, c, d, 12, 52, 6);  STEP(I, d, a, b, c, 3, 53, 10);
        STEP(I, c, d, a, b, 10, 54, 15); STEP(I, b, c, d, a, 1, 55, 21);
        STEP(I, a, b, c, d, 8, 56, 6);   STEP(I, d, a, b, c, 15, 57, 10);
        STEP(I, c, d, a, b, 6, 58, 15);  STEP(I, b, c, d, a, 13, 59, 21);
        STEP(I, a, b, c, d, 4, 60, 6);   STEP(I, d, a, b, c, 11, 61, 10);
        STEP(I, c, d, a, b, 2, 62, 15);  STEP(I, b, c, d, a, 9, 63, 21);
        a = _mm256_add_epi32(a, a0);
        b = _mm256_add_epi32(b, b0);
        c = _mm256_add_epi32(c, c0);
        d = _mm256_add_epi32(d, d0);
    }
    _mm256_storeu_si256((__m256i *)(state + 0 * LANES), a);
    _mm256_storeu_si256((__m256i *)(state + 1 * LANES), b);
    _mm256_storeu_si256((__m256i *)(state + 2 * LANES), c);
    _mm256_storeu_si256((__m256i *)(state + 3 * LANES), d);
}

/* Whether md5_lanes can run here: the CPU has AVX2. */
int md5_lanes_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

/* Run `blocks` 64-byte blocks of each of `count` (1 to 8) strings, `data[i]` pointing at
 * string i's next block, through the MD5 compression function, from and into `state`:
 * word w (a, b, c, d) of lane l at state[w * 8 + l]. Lanes past `count` hash a copy of the
 * first lane's data and are left out of `state`. Returns 0, or -1 for a count out of range. */
int md5_lanes(uint32_t *state, const uint8_t *const *data, int count, size_t blocks) {
    if (count < 1 || count > LANES)
        return -1;
    const uint8_t *lanes[LANES];
    uint32_t work[4 * LANES];
    for (int l = 0; l < LANES; l++)
        lanes[l] = data[l < count ? l : 0];
    for (int w = 0; w < 4; w++)
        for (int l = 0; l < LANES; l++)
            work[w * LANES + l] = state[w * LANES + (l < count ? l : 0)];
    blocks8(work, lanes, blocks);
    for (int w = 0; w < 4; w++)
        memcpy(state + w * LANES, work + w * LANES, sizeof(uint32_t) * (size_t)count);
    return 0;
}

#else
int md5_lanes_available(void) { return 0; }
int md5_lanes(uint32_t *state, const uint8_t *const *data, int count, size_t blocks) {
    (void)state; (void)data; (void)count; (void)blocks;
    return -1;
}
#endif
