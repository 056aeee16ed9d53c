// Wide-character ncurses (Debian: libncurses-dev). The feature macro must come
// before the header so that add_wch, cchar_t and friends are declared.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncurses.h>
