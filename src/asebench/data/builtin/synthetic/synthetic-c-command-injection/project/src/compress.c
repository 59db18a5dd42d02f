#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "logrot.h"

#define GZIP_LEVEL "-9"

int compress_file(const char *path)
{
    char cmd[4096];
    int status;

    if (snprintf(cmd, sizeof cmd, "gzip %s -f %s", GZIP_LEVEL, path) >= (int)sizeof cmd)
        return -1;
    status = system(cmd);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}
