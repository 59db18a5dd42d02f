/* A guard-page heap for the library code under test (linked with -Wl,--wrap=malloc,...):
 * every block ends exactly where an inaccessible page begins, and a freed block becomes
 * inaccessible for good. A write or read past a block's end, or into a freed block, faults;
 * the fault handler names it on stderr and exits with GUARD_EXIT. Used instead of
 * AddressSanitizer, whose shadow memory (terabytes of address space) the sandbox's rlimits
 * do not allow. Calls from the C library itself keep glibc's heap (--wrap only redirects
 * the objects linked here). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUARD_EXIT 97
#define HEADER 32

struct block { unsigned char *base; size_t pages; size_t size; int freed; };

static struct block blocks[65536];
static size_t block_count;
static size_t page;

static void on_fault(int sig, siginfo_t *info, void *context)
{
    unsigned char *address = (unsigned char *)info->si_addr;
    size_t i;
    (void)sig;
    (void)context;
    for (i = 0; i < block_count; i++) {
        unsigned char *end = blocks[i].base + blocks[i].pages * page;
        if (address >= blocks[i].base && address < end) {
            unsigned char *user = end - page - blocks[i].size;
            const char *what = blocks[i].freed ? "use-after-free" : "heap-buffer-overflow";
            dprintf(2, "guard: %s at offset %ld of a %zu-byte block\n", what,
                    (long)(address - user), blocks[i].size);
            _exit(GUARD_EXIT);
        }
    }
    dprintf(2, "guard: segmentation fault outside the guarded heap\n");
    _exit(GUARD_EXIT + 1);
}

static void setup(void)
{
    struct sigaction action;
    static char stack[1 << 16];
    stack_t alternate;
    if (page != 0)
        return;
    page = (size_t)sysconf(_SC_PAGESIZE);
    alternate.ss_sp = stack;
    alternate.ss_size = sizeof stack;
    alternate.ss_flags = 0;
    sigaltstack(&alternate, NULL);
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
}

void *__wrap_malloc(size_t size)
{
    size_t pages;
    unsigned char *base;
    setup();
    if (block_count == sizeof blocks / sizeof blocks[0])
        return NULL;
    pages = (size + HEADER + page - 1) / page + 1;
    base = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    mprotect(base + (pages - 1) * page, page, PROT_NONE);
    blocks[block_count].base = base;
    blocks[block_count].pages = pages;
    blocks[block_count].size = size;
    blocks[block_count].freed = 0;
    memcpy(base, &block_count, sizeof block_count);
    block_count++;
    return base + (pages - 1) * page - size;
}

static struct block *owner(void *pointer)
{
    size_t i;
    for (i = block_count; i-- > 0;) {
        unsigned char *end = blocks[i].base + (blocks[i].pages - 1) * page;
        if (!blocks[i].freed && (unsigned char *)pointer == end - blocks[i].size)
            return &blocks[i];
    }
    return NULL;
}

void __wrap_free(void *pointer)
{
    struct block *found;
    if (pointer == NULL)
        return;
    found = owner(pointer);
    if (found == NULL) {
        dprintf(2, "guard: free of a pointer the heap did not return (or a double free)\n");
        _exit(GUARD_EXIT);
    }
    found->freed = 1;
    mprotect(found->base, found->pages * page, PROT_NONE);
}

void *__wrap_calloc(size_t count, size_t size)
{
    void *pointer;
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    pointer = __wrap_malloc(count * size);
    if (pointer != NULL)
        memset(pointer, 0, count * size);
    return pointer;
}

void *__wrap_realloc(void *pointer, size_t size)
{
    struct block *found;
    void *fresh;
    if (pointer == NULL)
        return __wrap_malloc(size);
    found = owner(pointer);
    if (found == NULL) {
        dprintf(2, "guard: realloc of a pointer the heap did not return\n");
        _exit(GUARD_EXIT);
    }
    fresh = __wrap_malloc(size);
    if (fresh == NULL)
        return NULL;
    memcpy(fresh, pointer, found->size < size ? found->size : size);
    __wrap_free(pointer);
    return fresh;
}

void *__wrap_reallocarray(void *pointer, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return __wrap_realloc(pointer, count * size);
}
