/* fiscalrules._cparse: lexing -- the next token of the text for the automaton (the module's
 * overview: _cparse.c), lexed as lalr.FastParser.parse lexes it.
 *
 * A state's scanner is asked of lalr.FastParser (get_lexer) the first time the state is on top,
 * and a first character's matcher of the scanner (Scanner.programs) the first time a token starts
 * with it; both are kept for the automaton's life. */

#include "_cparse.h"

static PyObject *s_lastgroup, *s_end;

static int lexing_init(void) {
    s_lastgroup = PyUnicode_InternFromString("lastgroup");
    s_end = PyUnicode_InternFromString("end");
    return s_lastgroup && s_end ? 0 : -1;
}

static void free_lexer(Lexer *l) {
    Py_XDECREF(l->special); Py_XDECREF(l->for_char); Py_XDECREF(l->other);
    for (int c = 0; c < 128; c++) Py_XDECREF(l->ascii[c]);
    PyMem_Free(l);
}

static Lexer *state_lexer(Automaton *a, int state) {
    int k = a->state_lexer[state];
    if (k >= 0) return a->lexers[k];
    if (!a->get_lexer) { PyErr_SetString(PyExc_RuntimeError, "cleared"); return NULL; }
    PyObject *got = PyObject_CallFunction(a->get_lexer, "i", state);
    if (!got) return NULL;
    int key;
    PyObject *special, *for_char;
    if (!PyArg_ParseTuple(got, "iO!O", &key, &PyDict_Type, &special, &for_char)) { Py_DECREF(got); return NULL; }
    if (key >= a->cap_lexers) {
        int cap = key * 2 + 8;
        Lexer **grown = PyMem_Realloc(a->lexers, sizeof(Lexer *) * cap);
        if (!grown) { Py_DECREF(got); PyErr_NoMemory(); return NULL; }
        for (int i = a->cap_lexers; i < cap; i++) grown[i] = NULL;
        a->lexers = grown;
        a->cap_lexers = cap;
    }
    if (!a->lexers[key]) {
        Lexer *l = PyMem_Calloc(1, sizeof(Lexer));
        if (!l) { Py_DECREF(got); PyErr_NoMemory(); return NULL; }
        l->other = PyDict_New();
        if (!l->other) { PyMem_Free(l); Py_DECREF(got); return NULL; }
        Py_INCREF(special); Py_INCREF(for_char);
        l->special = special;
        l->for_char = for_char;
        /* PyDict_New may collect garbage, and a finaliser let another thread fill the slot: keep
         * the first (the other thread may be using it) */
        if (a->lexers[key]) free_lexer(l);
        else a->lexers[key] = l;
        if (key >= a->n_lexers) a->n_lexers = key + 1;
    }
    Py_DECREF(got);
    a->state_lexer[state] = key;
    return a->lexers[key];
}

/* for a token starting with code point c: a Scan (a capsule) or the bound `match` of the
 * alternation for re (borrowed) */
static PyObject *matcher(Lexer *l, Py_UCS4 c) {
    if (c < 128 && l->ascii[c]) return l->ascii[c];
    PyObject *key = NULL, *found;
    if (c >= 128) {
        key = PyLong_FromLong((long)c);
        if (!key) return NULL;
        found = PyDict_GetItemWithError(l->other, key);
        if (found) { Py_DECREF(key); return found; }
        if (PyErr_Occurred()) { Py_DECREF(key); return NULL; }
    }
    /* Scanner.programs(char): (the alternation, the terminals' programs or None) */
    PyObject *ch = PyUnicode_FromOrdinal((int)c);
    PyObject *got = ch ? PyObject_CallOneArg(l->for_char, ch) : NULL;
    Py_XDECREF(ch);
    PyObject *pattern, *programs, *bound = NULL;
    if (got && PyArg_ParseTuple(got, "OO", &pattern, &programs))
        bound = programs == Py_None ? PyObject_GetAttrString(pattern, "match") : make_scan(pattern, programs);
    Py_XDECREF(got);
    if (!bound) { Py_XDECREF(key); return NULL; }
    /* for_char ran Python code, so another thread may have filled the slot meanwhile (review A4):
     * the first one stays -- that thread may be using it, borrowed -- and this one is dropped */
    if (c < 128) {
        if (l->ascii[c]) { Py_DECREF(bound); return l->ascii[c]; }
        l->ascii[c] = bound;   /* the reference kept */
        return bound;
    }
    PyObject *kept = PyDict_SetDefault(l->other, key, bound);   /* borrowed: the dict keeps it */
    Py_DECREF(key);
    Py_DECREF(bound);
    return kept;
}

static PyObject *fallback(Automaton *a, const char *why) {
    PyErr_SetString(a->fallback, why);
    return NULL;
}

/* a token: (type, value, line, column, end_line, end_column); steals value */
static PyObject *make_token(PyObject *type, PyObject *value, Py_ssize_t line, Py_ssize_t column,
                            Py_ssize_t end_line, Py_ssize_t end_column) {
    PyObject *t = PyTuple_New(6);
    if (!t) { Py_DECREF(value); return NULL; }
    Py_INCREF(type);
    PyTuple_SET_ITEM(t, 0, type);
    PyTuple_SET_ITEM(t, 1, value);
    Py_ssize_t numbers[4] = {line, column, end_line, end_column};
    for (int i = 0; i < 4; i++) {
        PyObject *n = PyLong_FromSsize_t(numbers[i]);
        if (!n) { Py_DECREF(t); return NULL; }
        PyTuple_SET_ITEM(t, 2 + i, n);
    }
    return t;
}

/* re's match at the cursor with `match` (a bound Pattern.match): where it ends, and (*type, a new
 * reference) the group that matched -- the terminal; -1 with an exception (lalr.Fallback for no
 * match) */
static Py_ssize_t match_with_re(Automaton *a, const Cursor *x, PyObject *match, PyObject **type) {
    PyObject *at = PyLong_FromSsize_t(x->pos);
    if (!at) return -1;
    PyObject *argv[2] = {x->text, at};
    PyObject *m = PyObject_Vectorcall(match, argv, 2, NULL);
    Py_DECREF(at);
    if (!m) return -1;
    if (m == Py_None) { Py_DECREF(m); fallback(a, "no token here"); return -1; }
    *type = PyObject_GetAttr(m, s_lastgroup);
    PyObject *end_obj = *type ? PyObject_CallMethodNoArgs(m, s_end) : NULL;
    Py_DECREF(m);
    Py_ssize_t end = end_obj ? PyLong_AsSsize_t(end_obj) : -1;
    Py_XDECREF(end_obj);
    if (end < 0) { Py_CLEAR(*type); return -1; }   /* (end() is never negative: an error) */
    return end;
}

/* The terminal lark's scanner l finds at the cursor: where its match ends, and (*type, a new
 * reference) which terminal it is; -1 with an exception (lalr.Fallback where none matches).
 * The scanner's terminals that can start with the character there are tried in lark's order with
 * the terminals' matcher (_cparse_match.c), the first match winning as in re's alternation; re itself matches where one
 * of them has no program (the Scan is then re's bound match) or a program runs too deep. */
static Py_ssize_t match_terminal(Automaton *a, const Cursor *x, Lexer *l, PyObject **type) {
    PyObject *match = matcher(l, PyUnicode_READ(x->kind, x->data, x->pos));
    if (!match) return -1;
    if (PyCapsule_CheckExact(match)) {   /* a Scan (_cparse_match.c) */
        Py_ssize_t end = scan_terminals(match, x, type, &match);
        if (end >= 0) return end;
        if (end == NO_MATCH) { fallback(a, "no token here"); return -1; }
        /* TOO_DEEP: re's match */
    }
    return match_with_re(a, x, match, type);
}

/* A token type lark retypes by its text (a name that is a keyword): the type it becomes, a new
 * reference (special: the type's entry in the scanner's special types, its cache of retypings at
 * [2]; a text met for the first time is asked of lark through lalr._retype, which caches it) */
static PyObject *retyped(Automaton *a, PyObject *special, PyObject *type, PyObject *value) {
    PyObject *known = PyDict_GetItemWithError(PyTuple_GET_ITEM(special, 2), value);
    if (known) { Py_INCREF(known); return known; }
    if (PyErr_Occurred()) return NULL;
    PyObject *argv[3] = {special, type, value};
    return PyObject_Vectorcall(a->retype, argv, 3, NULL);
}

/* The next token at the cursor, lexed by the scanner of the state on top (l), and the cursor moved
 * past it: 1 with *token and *type (new references), 0 at the end of the text (nothing but ignored
 * text was left), -1 with an exception.  It is lalr.FastParser.parse's lexing step: blank space
 * and comments (ignored types) are skipped with the same scanner, the blanks after a token on its
 * line are taken with it (blanks_after: one match fewer per token), lines are counted in the types
 * that may hold newlines, and a name may be retyped as a keyword -- only the few special types
 * cost more than a look-up. */
static int next_token(Automaton *a, Cursor *x, Lexer *l, PyObject **token, PyObject **type) {
    for (;;) {
        Py_ssize_t start = x->pos, end = match_terminal(a, x, l, type);
        if (end < 0) return -1;
        Py_ssize_t start_line = x->line, column = start - x->line_start + 1;
        x->pos = end;
        if (a->blanks_after)
            while (x->pos < x->length) {
                Py_UCS4 b = PyUnicode_READ(x->kind, x->data, x->pos);
                if (b != ' ' && b != '\t') break;
                x->pos++;
            }
        PyObject *special = PyDict_GetItemWithError(l->special, *type);
        if (!special && PyErr_Occurred()) goto failed;
        PyObject *value = PyUnicode_Substring(x->text, start, end);
        if (!value) goto failed;
        if (special) {   /* (newlines, ignored, retypings or None, lark's callback): lalr._lexer */
            if (PyObject_IsTrue(PyTuple_GET_ITEM(special, 0)))
                for (Py_ssize_t i = start; i < end; i++)
                    if (PyUnicode_READ(x->kind, x->data, i) == '\n') { x->line++; x->line_start = i + 1; }
            if (PyObject_IsTrue(PyTuple_GET_ITEM(special, 1))) {   /* ignored: the next one */
                Py_DECREF(value);
                Py_CLEAR(*type);
                if (x->pos < x->length) continue;
                return 0;
            }
            if (PyTuple_GET_ITEM(special, 2) != Py_None) {
                PyObject *keyword = retyped(a, special, *type, value);
                if (!keyword) { Py_DECREF(value); goto failed; }
                Py_SETREF(*type, keyword);
            }
        }
        *token = make_token(*type, value, start_line, column, x->line, end - x->line_start + 1);
        if (!*token) goto failed;
        return 1;
    }
failed:
    Py_CLEAR(*type);
    return -1;
}
