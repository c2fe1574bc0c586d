/* fiscalrules._cparse: what its files share (the module and its overview: _cparse.c).
 *
 * One extension of several files, each with one job, compiled as one translation unit: _cparse.c
 * includes the others in turn (setup.py compiles it alone), so what one file offers the others,
 * declared here, is static -- nothing but the module's init is exported -- and the compiler sees
 * the whole token loop at once (built as separate objects, the calls between the files cost a
 * parse 1.5 % more instructions: bench_parse --instructions). */
#ifndef FISCALRULES_CPARSE_H
#define FISCALRULES_CPARSE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* the interface with the Python code (lalr.py's Automaton arguments and value-stack tuples,
 * nodebase.py's Maker arguments): fiscalrules.cparse refuses a build whose number is not its own
 * ABI_VERSION, so change both together */
#define ABI_VERSION 4

/* ---- the automaton (_cparse_loop.c builds and runs it; _cparse_lex.c lexes for it) ---------- */

typedef struct {
    int size, single, inline_, noop, keep_all, tokens_only, meta, chain, has_expand;
    PyObject *build;            /* NULL: no builder method (a rule lark would keep as a tree) */
    int n_include;
    int *inc_i, *inc_expand, *inc_nones;
    int append_none;
    int *goto_;                 /* per state, -1 where none */
} Plan;

typedef struct {
    PyObject *special;          /* dict: type -> (newlines, ignored, retypes or None, callback) */
    PyObject *for_char;         /* Scanner.for_char (bound) */
    PyObject *ascii[128];       /* bound `match` of the alternation per ASCII first character */
    PyObject *other;            /* dict: code point (int) -> bound `match` */
} Lexer;

typedef struct {
    PyObject_HEAD
    int n_states, start_state, end_state, max_depth, blanks_after;
    int started;                /* __init__ ran (once only: a second would leak the first's tables) */
    PyObject *terminals;        /* dict type -> its number: a column of table */
    int n_terminals;
    int *table;                 /* state * n_terminals + terminal: >= 0 shift to that state, < 0 reduce
                                   by plan ~action, or NO_ACTION */
    int n_plans;
    Plan *plans;
    int *state_lexer;           /* per state: index into lexers, -1 until asked */
    Lexer **lexers;
    int n_lexers, cap_lexers;
    PyObject *get_lexer;        /* state -> (key, special, for_char) */
    PyObject *retype;           /* (kind, type, value) -> type */
    PyObject *fallback;         /* lalr.Fallback */
    PyObject *end_name;         /* "$END" */
    int ready;                  /* __init__ finished: parse refuses to run otherwise */
} Automaton;

static PyTypeObject AutomatonType;

/* ---- lexing (_cparse_lex.c) ------------------------------------------------------------------ */

/* Where the lexing stands in the text: the next character's index, the line it is on and where
 * that line starts (lines and columns are 1-based, as lark's) */
typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t length, pos, line, line_start;
} Cursor;

static int lexing_init(void);
static Lexer *state_lexer(Automaton *a, int state);
static void free_lexer(Lexer *l);
static int next_token(Automaton *a, Cursor *x, Lexer *l, PyObject **token, PyObject **type);
static PyObject *fallback(Automaton *a, const char *why);

/* ---- the terminals' matcher (_cparse_match.c) ------------------------------------------------ */

#define NO_MATCH (-1)
#define TOO_DEEP (-2)

static PyObject *make_scan(PyObject *pattern, PyObject *programs);
static Py_ssize_t scan_terminals(PyObject *scan, const Cursor *x, PyObject **type, PyObject **re_match);
static PyObject *match_program(PyObject *module, PyObject *args);

/* ---- node makers and the collector (_cparse_maker.c) ----------------------------------------- */

static PyTypeObject MakerType;
static int untracked_for_good(PyObject *o);

#endif
