// SHA-256 against the FIPS 180-4 / NIST example vectors.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sarif/sha256.h"

namespace drcheck {
namespace {

TEST(Sha256, NistVectors) {
  EXPECT_EQ(sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(
      sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                 "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, OneMillionA) {
  Sha256 h;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk);
  EXPECT_EQ(h.hex_digest(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
  // 55, 56 and 64 bytes: one or two final blocks.
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7 + 3);
  const std::string whole = sha256_hex(data);
  for (size_t step : {1u, 3u, 63u, 64u, 65u, 127u, 500u}) {
    Sha256 h;
    for (size_t i = 0; i < data.size(); i += step) {
      h.update(std::string_view(data).substr(i, step));
    }
    EXPECT_EQ(h.hex_digest(), whole) << "step " << step;
  }
}

TEST(Sha256, HardwareBlockEqualsPortable) {
  std::array<uint32_t, 8> probe{};
  uint8_t zero[64] = {};
  if (!sha256_internal::block_hardware(probe, zero)) {
    GTEST_SKIP() << "no SHA extensions on this CPU";
  }
  std::mt19937 rng(1);
  for (int i = 0; i < 10000; ++i) {
    std::array<uint32_t, 8> state;
    for (auto& x : state) x = static_cast<uint32_t>(rng());
    uint8_t block[64];
    for (auto& b : block) b = static_cast<uint8_t>(rng());
    std::array<uint32_t, 8> portable = state, hardware = state;
    sha256_internal::block_portable(portable, block);
    ASSERT_TRUE(sha256_internal::block_hardware(hardware, block));
    ASSERT_EQ(portable, hardware) << i;
  }
}

}  // namespace
}  // namespace drcheck
