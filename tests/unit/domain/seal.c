/* SPDX-License-Identifier: MIT */
/* domain/oneonones.c: private notes are sealed per author; nobody else's key opens them, and a
 * changed byte is detected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "domain/accounts.h"
#include "domain/oneonones.h"
#include "util/arena.h"

static void only_the_author_opens_a_note(void **state)
{
    struct errinfo ei = {0};
    char path[] = "/tmp/trellis-seal-XXXXXX";
    int fd = mkstemp(path);
    struct arena *a = arena_new();
    const char *text = "Rex seems tired: ask about workload";
    char *sealed, *again, *opened;
    size_t n;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    unlink(path); /* accounts_load_key creates the key file */
    assert_int_equal(accounts_load_key(path, &ei), ERR_OK);
    sealed = oneonones_seal(a, 42, text);
    assert_non_null(sealed);
    assert_null(strstr(sealed, "Rex"));
    assert_memory_equal(sealed, "v1:", 3);
    opened = oneonones_unseal(a, 42, sealed);
    assert_non_null(opened);
    assert_string_equal(opened, text);
    again = oneonones_seal(a, 42, text);
    assert_string_not_equal(again, sealed); /* a fresh nonce every time */
    assert_null(oneonones_unseal(a, 43, sealed));
    n = strlen(sealed);
    sealed[n - 5] = sealed[n - 5] == 'A' ? 'B' : 'A';
    assert_null(oneonones_unseal(a, 42, sealed));
    assert_null(oneonones_unseal(a, 42, "plain text"));
    assert_null(oneonones_unseal(a, 42, "v1:!!!"));
    arena_free(a);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_the_author_opens_a_note),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
