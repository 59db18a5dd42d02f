#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "logrot.h"

static void numbered(char *out, size_t size, const char *path, int n, const char *suffix)
{
    snprintf(out, size, "%s.%d%s", path, n, suffix);
}

int rotate_log(const char *path, int keep)
{
    char from[4096], to[4096];
    int fd;

    if (keep < 1)
        return -1;
    numbered(from, sizeof from, path, keep, ".gz");
    if (unlink(from) != 0 && errno != ENOENT)
        return -1;
    for (int n = keep - 1; n >= 1; n--) {
        numbered(from, sizeof from, path, n, ".gz");
        numbered(to, sizeof to, path, n + 1, ".gz");
        if (rename(from, to) != 0 && errno != ENOENT)
            return -1;
    }
    numbered(to, sizeof to, path, 1, "");
    if (rename(path, to) != 0)
        return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    close(fd);
    return compress_file(to);
}
