int compress_file(const char *path)
{
    pid_t pid;
    int status;

    pid = fork();
    if (pid == -1)
        return -1;
    if (pid == 0) {
        execlp("gzip", "gzip", GZIP_LEVEL, "-f", "--", path, (char *)NULL);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) == -1)
        return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}
