#ifndef LOGROT_H
#define LOGROT_H

/* Compress `path` in place to `path.gz` (the original is removed). 0 on success, -1 on error. */
int compress_file(const char *path);

/* Rotate `path`: path.N.gz -> path.N+1.gz (keeping `keep`), path -> path.1.gz, new empty path. */
int rotate_log(const char *path, int keep);

#endif
