/*
 * cli_json.c: reading one JSON document (encode's input) with a bound on
 * what is buffered: the input is fed to json-c's incremental tokener in
 * chunks, so an endless or oversized input stops with an error at the
 * bound instead of growing without limit, and bytes after the document
 * (other than white space) are refused.
 */
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define CHUNK (64U << 10)

static bool blank(const char *p, size_t n)
{
    while ( n-- )
        if ( !isspace((unsigned char)*p++) )
            return false;
    return true;
}

int cli_json_read(const struct cmd *c, const char *path, size_t max,
                  struct json_object **out)
{
    struct json_tokener *tok = json_tokener_new();
    enum json_tokener_error e = json_tokener_continue;
    struct json_object *j = NULL;
    static char buf[CHUNK];
    size_t total = 0;
    int fd = -1, rc = EXIT_PROBLEMS;
    ssize_t n;

    *out = NULL;
    if ( !tok )
        return EXIT_IO;
    fd = cli_open_in(path);
    if ( fd < 0 )
    {
        rc = EXIT_IO;
        goto out;
    }
    for ( ;; )
    {
        n = read(fd, buf, sizeof(buf));
        if ( n < 0 && errno == EINTR )
            continue;
        if ( n < 0 )
        {
            fprintf(stderr, "vmport-state %s: %s: read error: %s\n",
                    c->name, path, strerror(errno));
            rc = EXIT_IO;
            goto out;
        }
        if ( n == 0 )
            break;
        if ( total + n > max )
        {
            fprintf(stderr, "vmport-state %s: %s: more than %zu MiB of "
                    "input, the most a JSON document here can be; "
                    "stopping\n", c->name, path, max >> 20);
            goto out;
        }
        total += n;
        if ( j )
        {
            if ( !blank(buf, n) )
                goto trailing;
            continue;
        }
        j = json_tokener_parse_ex(tok, buf, n);
        e = json_tokener_get_error(tok);
        if ( !j && e != json_tokener_continue )
            break;
        if ( j && !blank(buf + json_tokener_get_parse_end(tok),
                         n - json_tokener_get_parse_end(tok)) )
            goto trailing;
    }
    if ( !j && e == json_tokener_continue )
    {
        /* End of input: a bare number needs it to be complete. */
        j = json_tokener_parse_ex(tok, "", 1);
        e = json_tokener_get_error(tok);
    }
    if ( !j )
    {
        fprintf(stderr, "vmport-state %s: %s: not JSON (byte %zu): %s\n",
                c->name, path, total - (size_t)n +
                json_tokener_get_parse_end(tok),
                e == json_tokener_continue ? "the input ends inside it" :
                json_tokener_error_desc(e));
        goto out;
    }
    *out = j;
    j = NULL;
    rc = EXIT_OK;
    goto out;

 trailing:
    fprintf(stderr, "vmport-state %s: %s: bytes after the JSON document "
            "(one document expected)\n", c->name, path);
 out:
    json_object_put(j);
    json_tokener_free(tok);
    if ( fd > STDIN_FILENO )
        close(fd);
    return rc;
}
