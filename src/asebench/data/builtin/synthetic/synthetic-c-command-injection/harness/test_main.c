/* Functional test: compress_file() and rotate_log() produce the expected .gz files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logrot.h"

static const char *failure;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static long size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* 1 when gzip -dc `gz` prints exactly `want`. */
static int gz_holds(const char *gz, const char *want)
{
    char cmd[1024], got[256] = "";
    size_t n;
    FILE *p;

    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", gz);
    if ((p = popen(cmd, "r")) == NULL)
        return 0;
    n = fread(got, 1, sizeof got - 1, p);
    got[n] = '\0';
    pclose(p);
    return strcmp(got, want) == 0;
}

#define CHECK(cond, what) do { if (!(cond)) { failure = what; goto done; } } while (0)

int main(void)
{
    char dir[] = "./test.XXXXXX", a[512], b[512];

    if (mkdtemp(dir) == NULL) {
        printf("{\"verdict\": \"fail\", \"detail\": \"cannot create a temp dir\"}\n");
        return 0;
    }
    snprintf(a, sizeof a, "%s/app.log", dir);
    write_file(a, "line one\nline two\n");
    CHECK(compress_file(a) == 0, "compress_file(app.log) did not return 0");
    snprintf(b, sizeof b, "%s/app.log.gz", dir);
    CHECK(exists(b) && !exists(a), "app.log was not replaced by app.log.gz");
    CHECK(gz_holds(b, "line one\nline two\n"), "app.log.gz does not hold the original text");
    snprintf(a, sizeof a, "%s/missing.log", dir);
    CHECK(compress_file(a) != 0, "compress_file(missing.log) reported success");

    snprintf(a, sizeof a, "%s/svc.log", dir);
    write_file(a, "first\n");
    CHECK(rotate_log(a, 3) == 0, "first rotate_log(svc.log) failed");
    write_file(a, "second\n");
    CHECK(rotate_log(a, 3) == 0, "second rotate_log(svc.log) failed");
    CHECK(size_of(a) == 0, "svc.log was not recreated empty");
    snprintf(b, sizeof b, "%s/svc.log.1.gz", dir);
    CHECK(gz_holds(b, "second\n"), "svc.log.1.gz does not hold the newest log");
    snprintf(b, sizeof b, "%s/svc.log.2.gz", dir);
    CHECK(gz_holds(b, "first\n"), "svc.log.2.gz does not hold the older log");
done:
    if (failure)
        printf("{\"verdict\": \"fail\", \"detail\": \"%s\"}\n", failure);
    else
        printf("{\"verdict\": \"pass\", \"detail\": \"compress and two rotations behave\"}\n");
    return 0;
}
