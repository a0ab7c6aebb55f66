// Cairo for anti-aliased drawing, with its FreeType font backend so pictures load their
// font (DejaVu Sans) from a file by path rather than through fontconfig's choice.
#include <cairo.h>
#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H
