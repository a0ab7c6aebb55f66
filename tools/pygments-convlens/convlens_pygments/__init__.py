"""Pygments lexer for ConvLens cells, following the kernel's lexer (Sources/Language/Syntax/Lexer.swift).

The kernel names it in `language_info.pygments_lexer` ("convlens"), so nbconvert's HTML reports
highlight argument names (`class:` in `saliency(net, cat, class: "tabby")`) as attributes,
`true`/`false`/`none` as constants and `and`/`or`/`not` as operator words, instead of reading the
cells as Python (where `class` is a keyword).
"""
from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

__all__ = ["ConvLensLexer"]

IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"


class ConvLensLexer(RegexLexer):
    """ConvLens: calls with named arguments, lists, ranges (`0..15`), `?` for help."""

    name = "ConvLens"
    aliases = ["convlens"]
    filenames = ["*.cvl"]
    mimetypes = ["text/x-convlens"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            (r"[ \t\r]+", Whitespace),
            (r"#.*$", Comment.Single),
            (r'"', String.Double, "double"),
            (r"'", String.Single, "single"),
            (r"\d+(\.\d+)?([eE][+-]?\d+)?", Number),
            (words(("true", "false", "none"), suffix=r"\b"), Keyword.Constant),
            (words(("and", "or", "not"), suffix=r"\b"), Operator.Word),
            # An argument name: `class:` inside a call (the language has no other `name:` form).
            (r"(" + IDENTIFIER + r")(\s*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (IDENTIFIER + r"(?=\s*\()", Name.Function),
            (IDENTIFIER, Name),
            (r"\*\*|\.\.|==|!=|<=|>=|[-+*/%<>=?.]", Operator),
            (r"[()\[\],:]", Punctuation),
            (r".", Text),
        ],
        "double": [
            (r'\\.', String.Escape),
            (r'"', String.Double, "#pop"),
            (r'[^"\\\n]+', String.Double),
            (r"\n", String.Double, "#pop"),
        ],
        "single": [
            (r"\\.", String.Escape),
            (r"'", String.Single, "#pop"),
            (r"[^'\\\n]+", String.Single),
            (r"\n", String.Single, "#pop"),
        ],
    }
