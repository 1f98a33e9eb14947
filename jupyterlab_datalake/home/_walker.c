/* The per-entry loop of the home-usage scan (scan.py), in C.
 *
 * Python's os.scandir + DirEntry.stat() spends about as long building each stat result as
 * the lstat itself takes; du -sx does the lstat alone. This lists one folder the way
 * scan.py's pure-Python loop does and returns, for the folder's non-folder entries, only
 * sums, plus a record for each entry Python still has to look at: subfolders, hard-linked
 * files (the hard-link set stays in Python, shared between workers) and files big enough
 * to enter the largest-files list. Loaded with ctypes: no Python headers, nothing but libc.
 *
 * Record layout (packed, native byte order): kind (1 byte: 'D' folder, 'L' hard-linked
 * file, 'F' large file), st_blocks (int64), st_size (int64), st_ino (uint64), the name's
 * bytes, NUL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct {
    int64_t blocks;   /* st_blocks of the non-folder entries summed, hard-linked ones left out */
    int64_t apparent; /* their st_size */
    int64_t files;    /* their number */
    int64_t listed;   /* entries on the device, of any kind, hard links included */
    int32_t failed;   /* an entry could not be stat'ed or the listing stopped on an error */
    int32_t nomem;
    char *records;    /* owned by this struct: dl_release() frees it */
    size_t len;
    size_t cap;
} dl_listing;

#define HEADER (1 + 8 + 8 + 8)

/* What getdents64 writes; glibc before 2.30 does not declare it. */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int put(dl_listing *out, char kind, int64_t blocks, int64_t size, uint64_t ino,
               const char *name) {
    size_t name_len = strlen(name);
    size_t need = out->len + HEADER + name_len + 1;
    if (need > out->cap) {
        size_t cap = out->cap ? out->cap : 1 << 16;
        while (cap < need) cap *= 2;
        char *grown = realloc(out->records, cap);
        if (grown == NULL) return -1;
        out->records = grown;
        out->cap = cap;
    }
    char *p = out->records + out->len;
    *p++ = kind;
    memcpy(p, &blocks, 8);
    memcpy(p + 8, &size, 8);
    memcpy(p + 16, &ino, 8);
    memcpy(p + 24, name, name_len + 1);
    out->len = need;
    return 0;
}

/* List the folder open at fd (left open: the caller closes it). Files with at least fmin
 * blocks are recorded as 'F': ties with the smallest of the largest files may still enter
 * the list, by size and name, as in scan.py. Returns 0; out->failed says whether an entry
 * could not be stat'ed or the listing stopped on an error, out->nomem that the records
 * could not grow (the figures are then incomplete). */
int dl_list(int fd, uint64_t dev, int64_t fmin, dl_listing *out) {
    out->blocks = out->apparent = out->files = out->listed = 0;
    out->failed = out->nomem = 0;
    out->len = 0;
    /* getdents64 straight into a large buffer: no DIR to allocate, no dup of fd, and most
     * folders in one call and one more to see their end. */
    static __thread char names[1 << 16];
    for (;;) {
        long got = syscall(SYS_getdents64, fd, names, sizeof names);
        if (got <= 0) {
            /* An error part way counts what was listed, as scan.py's loop does. */
            if (got < 0) out->failed = 1;
            break;
        }
        for (long at = 0; at < got;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(names + at);
            at += d->d_reclen;
            const char *name = d->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
            struct stat st;
            if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno != ENOENT) out->failed = 1; /* gone since listed: skipped, as du */
                continue;
            }
            if ((uint64_t)st.st_dev != dev) continue;
            out->listed++;
            int rc = 0;
            if (S_ISDIR(st.st_mode)) {
                rc = put(out, 'D', st.st_blocks, st.st_size, st.st_ino, name);
            } else if (st.st_nlink > 1) {
                rc = put(out, 'L', st.st_blocks, st.st_size, st.st_ino, name);
            } else {
                out->blocks += st.st_blocks;
                out->apparent += st.st_size;
                out->files++;
                if (st.st_blocks >= fmin)
                    rc = put(out, 'F', st.st_blocks, st.st_size, st.st_ino, name);
            }
            if (rc != 0) {
                out->nomem = 1;
                return 0;
            }
        }
    }
    return 0;
}

void dl_release(dl_listing *out) {
    free(out->records);
    out->records = NULL;
    out->len = out->cap = 0;
}
