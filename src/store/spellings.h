/*
 * spellings.h — reads a list of other spellings of a name as the bundled
 * persons file writes it ("A; B (remark); C = D (remark); E / F (remark)")
 * into spellings with their remarks, and tells from a remark what kind of
 * other name a spelling is (a nom de guerre, a birth name, ...).
 *
 * Shared by the loader of the bundled persons (aliases) and the search
 * benchmark (queries), so both read the column the same way.
 */
#ifndef KT_STORE_SPELLINGS_H
#define KT_STORE_SPELLINGS_H

/* Called once per spelling, in order: the spelling with its parenthesised
 * remarks cut out and spaces tidied, and the remarks of its item joined by
 * "; " ("" when none). Strings valid during the call only. A non-zero
 * return stops the walk and is returned. */
typedef int (*spellings_fn)(void *ctx, const char *spelling, const char *remark);

/* Items are separated by ';'; inside an item '=' and '/' separate
 * alternatives, which share the item's remark. Returns 0 or cb's value. */
int spellings_each(const char *list, spellings_fn cb, void *ctx);

/* The alias kind (one of store_alias_kinds) a remark names: "nom de
 * guerre", "pseudonym", "birth name", "maiden name", "married name" (any
 * remark saying "married"), "pen name", "nickname"; anything else —
 * a romanisation, a script variant, no remark — is "other spelling". */
const char *spellings_kind(const char *remark);

#endif
