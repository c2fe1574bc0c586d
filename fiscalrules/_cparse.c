/* fiscalrules._cparse: the optional C half of the fast parse.  It owns three things, none of them
 * a second implementation of anything -- each is the same as Python code that runs where this
 * module is not built, or with FISCALRULES_PURE_PYTHON set, or when fiscalrules.cparse refuses the
 * build (another source or ABI_VERSION).  One extension (setup.py), a file per job:
 *
 * 1. Automaton (_cparse_loop.c: the tables, the reductions, the loop; _cparse_lex.c: lexing):
 *    lalr.FastParser's loop -- lark's LALR parse table, lark's contextual lexer (one scanner per
 *    state, split by first character: fiscalrules.lalr_lexer), lark's child filters, ?rule
 *    hand-ons, _rule splicing, placeholders and propagate_positions -- driven with the tables
 *    FastParser._automaton hands over, calling the same builder methods with the same values, so
 *    it builds the same AST with the same spans.  What it saves is the interpreter's work around
 *    them: the state and value stacks, the table look-ups, the span bookkeeping and the
 *    line/column counting.  Anything unusual (no token, an unexpected token, a builder error,
 *    nesting past MAX_DEPTH) raises lalr.Fallback where the Python loop does, and
 *    fiscalrules.parser hands the text to lark, which reports errors.  The values on the value
 *    stack are the Python loop's: None (a placeholder), a token (type, value, line, column,
 *    end_line, end_column), or a reduced rule (value, depth, line, column, end_line, end_column,
 *    empty) -- see lalr.py.
 * 2. The terminals' matcher (_cparse_match.c): each terminal's regular expression as a program
 *    (lalr_lexer.program), matched by backtracking in re's order, so that most tokens are matched
 *    without a call into re; re still matches where a terminal has no program or a match runs too
 *    deep.  match_program exposes it to the tests, which compare it with re.
 * 3. Maker (_cparse_maker.c): fiscalrules.ast.make's node makers, what nodebase.maker's Python
 *    functions do; and which of the objects made here the garbage collector need not track.
 *
 * This file: the module -- its types, function and constants -- and the one translation unit: it
 * includes the other files (setup.py compiles it alone).  What the files share: _cparse.h.
 *
 * Threads: every cache filled during a parse (a state's scanner, a first character's matcher) is
 * filled under the GIL and never replaced once filled, as another thread may hold it borrowed.
 */
#include "_cparse.h"
#include "_cparse_match.c"
#include "_cparse_lex.c"
#include "_cparse_loop.c"
#include "_cparse_maker.c"

/* the CRC-32 of the sources (every fiscalrules/_cparse*.c and .h, by name), given by setup.py:
 * fiscalrules.cparse does not use a build of other sources */
#ifndef SOURCE_CRC
#define SOURCE_CRC 0
#endif

static PyMethodDef module_functions[] = {
    {"match_program", match_program, METH_VARARGS,
     "match_program(program, text, pos): the end of the program's match at pos, -1 none, -2 too deep"},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cparse", "fiscalrules.lalr's token loop and ast.maker in C", -1,
                                    module_functions};

PyMODINIT_FUNC PyInit__cparse(void) {
    if (lexing_init() < 0 || PyType_Ready(&AutomatonType) < 0 || PyType_Ready(&MakerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&AutomatonType);
    Py_INCREF(&MakerType);
    if (PyModule_AddObject(m, "Automaton", (PyObject *)&AutomatonType) < 0 ||
        PyModule_AddObject(m, "Maker", (PyObject *)&MakerType) < 0 ||
        PyModule_AddIntConstant(m, "ABI_VERSION", ABI_VERSION) < 0 ||
        PyModule_AddObject(m, "SOURCE_CRC", PyLong_FromUnsignedLong(SOURCE_CRC)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
