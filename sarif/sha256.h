// sha256.h: SHA-256 (FIPS 180-4), for SARIF partialFingerprints.
//
//   Sha256 h;
//   h.update("abc");
//   std::string hex = h.hex_digest();  // "ba7816bf..."
//
// Incremental: update() any number of times, then digest() once.
#ifndef DRCHECK_SARIF_SHA256_H_
#define DRCHECK_SARIF_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace drcheck {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  // Finishes the hash; the object must not be updated afterwards.
  std::array<uint8_t, 32> digest();
  std::string hex_digest();  // 64 lower-case hex digits

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t buf_len_ = 0;
  uint64_t total_ = 0;  // bytes
};

// The hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// The compression function on one 64-byte block, in portable C++ and with
// the x86 SHA extensions; Sha256 uses the latter when the CPU has them.
// Exposed for tests.
namespace sha256_internal {
void block_portable(std::array<uint32_t, 8>& state, const uint8_t* p);
// False (state untouched) when the CPU lacks the instructions.
bool block_hardware(std::array<uint32_t, 8>& state, const uint8_t* p);
}  // namespace sha256_internal

}  // namespace drcheck

#endif  // DRCHECK_SARIF_SHA256_H_
