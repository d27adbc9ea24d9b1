// The module's malloc and free, in place of Emscripten's emmalloc (0.9 KB gzip less to download).
//
// Blocks come in power-of-two sizes from 16 bytes up, carved from the top of the heap, which grows
// the WebAssembly memory as needed; a freed block waits on the free list of its size for the next
// allocation of that size. Memory is never given back and blocks are never merged: the widget's
// allocations are small and repeat (events, their values, result text), so the lists reach a
// steady state, for at most twice the bytes asked for (tests/wasm_core_test.mjs checks both).
#include <cstddef>
#include <cstdint>

extern "C" unsigned char __heap_base;  // where the linker ends static data and the stack

namespace {

// Each block starts with its size class (the log2 of its size), then the caller's bytes; the
// caller's bytes stay 8-aligned (max_align_t) because blocks start 8-aligned and are 16 or more.
constexpr std::size_t kHeaderBytes = 8;
constexpr int kSmallestClass = 4;
constexpr int kLargestClass = 31;
constexpr std::size_t kPageBytes = 65536;

struct Block {
  Block* next_free;
  std::uint32_t size_class;
};
static_assert(sizeof(Block) <= kHeaderBytes, "a block's header fits in front of its bytes");

Block* free_blocks[kLargestClass + 1];
// Set on first use: static constructors may allocate before one of ours would have run.
std::uintptr_t heap_top;

Block* Carve(int size_class) {
  if (heap_top == 0) {
    heap_top = (reinterpret_cast<std::uintptr_t>(&__heap_base) + 7) & ~std::uintptr_t{7};
  }
  std::uintptr_t size = std::uintptr_t{1} << size_class;
  std::uintptr_t memory_end = __builtin_wasm_memory_size(0) * kPageBytes;
  if (size > memory_end - heap_top) {
    std::uintptr_t pages = (heap_top + size - memory_end + kPageBytes - 1) / kPageBytes;
    if (__builtin_wasm_memory_grow(0, pages) == SIZE_MAX) return nullptr;
  }
  Block* block = reinterpret_cast<Block*>(heap_top);
  heap_top += size;
  block->size_class = static_cast<std::uint32_t>(size_class);
  return block;
}

}  // namespace

extern "C" void* malloc(std::size_t bytes) {
  int size_class = kSmallestClass;
  while (size_class <= kLargestClass && (std::size_t{1} << size_class) - kHeaderBytes < bytes) {
    ++size_class;
  }
  if (size_class > kLargestClass) return nullptr;
  Block* block = free_blocks[size_class];
  if (block != nullptr) {
    free_blocks[size_class] = block->next_free;
  } else if ((block = Carve(size_class)) == nullptr) {
    return nullptr;
  }
  return reinterpret_cast<unsigned char*>(block) + kHeaderBytes;
}

extern "C" void free(void* bytes) {
  if (bytes == nullptr) return;
  Block* block = reinterpret_cast<Block*>(static_cast<unsigned char*>(bytes) - kHeaderBytes);
  block->next_free = free_blocks[block->size_class];
  free_blocks[block->size_class] = block;
}
