/*
 * db_query.h — for the command tests that check what a command left in the
 * database: one number from an SQL query on test_db (testutil.h), opened
 * read-only beside the binary's own connections.
 */
#ifndef KT_TEST_DB_QUERY_H
#define KT_TEST_DB_QUERY_H

#include <sqlite3.h>

static int64_t sql_int(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t v = -1;
    assert_int_equal(sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

#endif
