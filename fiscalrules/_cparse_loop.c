/* fiscalrules._cparse: the automaton -- lalr.FastParser's parse table and rule plans, the
 * reductions (the builder's methods called as lark's tree would have them) and the loop that
 * lexes (_cparse_lex.c) and feeds each token (the module's overview: _cparse.c). */

#include "_cparse.h"

#define NO_ACTION INT_MIN

/* ---- the automaton's tables ------------------------------------------------------------------- */

static void free_plans(Automaton *a) {
    if (!a->plans) return;
    for (int i = 0; i < a->n_plans; i++) {
        Plan *p = &a->plans[i];
        Py_XDECREF(p->build);
        PyMem_Free(p->inc_i); PyMem_Free(p->inc_expand); PyMem_Free(p->inc_nones);
        PyMem_Free(p->goto_);
    }
    PyMem_Free(a->plans);
    a->plans = NULL;
}

/* get_lexer and retype are bound methods of the lalr.FastParser that holds this automaton */
static int Automaton_traverse(Automaton *a, visitproc visit, void *arg) {
    Py_VISIT(a->get_lexer);
    Py_VISIT(a->retype);
    return 0;
}

static int Automaton_clear(Automaton *a) {
    Py_CLEAR(a->get_lexer);
    Py_CLEAR(a->retype);
    return 0;
}

static void Automaton_dealloc(Automaton *a) {
    PyObject_GC_UnTrack(a);
    free_plans(a);
    Py_XDECREF(a->terminals);
    PyMem_Free(a->table);
    for (int i = 0; i < a->n_lexers; i++)
        if (a->lexers[i]) free_lexer(a->lexers[i]);
    PyMem_Free(a->lexers);
    PyMem_Free(a->state_lexer);
    Py_XDECREF(a->get_lexer); Py_XDECREF(a->retype); Py_XDECREF(a->fallback); Py_XDECREF(a->end_name);
    Py_TYPE(a)->tp_free((PyObject *)a);
}

static int as_int(PyObject *o, int *out) {
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return -1;
    *out = (int)v;
    return 0;
}

/* The parse table from lalr.FastParser's per-state actions (a list of dicts: type -> int, >= 0
 * shift, < 0 reduce by plan ~int), as one array: each terminal numbered once (terminals), so that
 * a token's type is looked up once, not at every step of its reductions */
static int init_table(Automaton *a, PyObject *actions) {
    a->terminals = PyDict_New();
    if (!a->terminals) return -1;
    for (int i = 0; i < a->n_states; i++) {
        PyObject *row = PyList_GET_ITEM(actions, i), *key, *value;
        if (!PyDict_Check(row)) { PyErr_SetString(PyExc_TypeError, "actions: dicts"); return -1; }
        Py_ssize_t at = 0;
        while (PyDict_Next(row, &at, &key, &value)) {
            if (PyDict_GetItemWithError(a->terminals, key)) continue;
            if (PyErr_Occurred()) return -1;
            PyObject *number = PyLong_FromLong(a->n_terminals++);
            if (!number || PyDict_SetItem(a->terminals, key, number) < 0) { Py_XDECREF(number); return -1; }
            Py_DECREF(number);
        }
    }
    a->table = PyMem_Malloc(sizeof(int) * (size_t)(a->n_states * (a->n_terminals ? a->n_terminals : 1)));
    if (!a->table) { PyErr_NoMemory(); return -1; }
    for (int i = 0; i < a->n_states * a->n_terminals; i++) a->table[i] = NO_ACTION;
    for (int i = 0; i < a->n_states; i++) {
        PyObject *key, *value;
        Py_ssize_t at = 0;
        while (PyDict_Next(PyList_GET_ITEM(actions, i), &at, &key, &value)) {
            int column, action;
            if (as_int(PyDict_GetItem(a->terminals, key), &column) < 0 || as_int(value, &action) < 0) return -1;
            a->table[i * a->n_terminals + column] = action;
        }
    }
    return 0;
}

/* One rule's plan from what lalr._Plan says of it:
 *   (size, single, inline, noop, keep_all, tokens_only, meta, chain, build, include, append_none, goto)
 * include: ((i, expand, nones), ...); goto: a list per state, -1 where none */
static int init_plan(Plan *p, PyObject *described, int n_states) {
    PyObject *build, *include, *gotos;
    if (!PyArg_ParseTuple(described, "iiiiiiiiOO!iO!", &p->size, &p->single, &p->inline_, &p->noop, &p->keep_all,
                          &p->tokens_only, &p->meta, &p->chain, &build, &PyTuple_Type, &include, &p->append_none,
                          &PyList_Type, &gotos))
        return -1;
    p->build = build == Py_None ? NULL : build;
    Py_XINCREF(p->build);
    p->n_include = (int)PyTuple_GET_SIZE(include);
    int n = p->n_include ? p->n_include : 1;
    p->inc_i = PyMem_Malloc(sizeof(int) * n);
    p->inc_expand = PyMem_Malloc(sizeof(int) * n);
    p->inc_nones = PyMem_Malloc(sizeof(int) * n);
    p->goto_ = PyMem_Malloc(sizeof(int) * (n_states ? n_states : 1));
    if (!p->inc_i || !p->inc_expand || !p->inc_nones || !p->goto_) { PyErr_NoMemory(); return -1; }
    for (int j = 0; j < p->n_include; j++) {
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(include, j), "iii", &p->inc_i[j], &p->inc_expand[j], &p->inc_nones[j]))
            return -1;
        if (p->inc_expand[j]) p->has_expand = 1;
    }
    if (PyList_GET_SIZE(gotos) != n_states) { PyErr_SetString(PyExc_ValueError, "goto"); return -1; }
    for (int s = 0; s < n_states; s++)
        if (as_int(PyList_GET_ITEM(gotos, s), &p->goto_[s]) < 0) return -1;
    return 0;
}

/* Automaton(actions, plans, start_state, end_state, get_lexer, retype, fallback, max_depth,
 *           blanks_after): lalr.FastParser._automaton's tables (see init_table, init_plan) */
static int Automaton_init(Automaton *a, PyObject *args, PyObject *kw) {
    PyObject *actions, *plans, *get_lexer, *retype, *fallback;
    int start_state, end_state, max_depth, blanks_after;
    /* once only: a second __init__ would leak the first one's tables; after a failed one they are
     * half made, and parse refuses to run (a fresh object is needed) */
    if (a->started) { PyErr_SetString(PyExc_RuntimeError, "Automaton is already initialised"); return -1; }
    /* into locals first: a call failing half-way through its arguments stores nothing borrowed */
    if (!PyArg_ParseTuple(args, "O!O!iiOOOii", &PyList_Type, &actions, &PyList_Type, &plans, &start_state,
                          &end_state, &get_lexer, &retype, &fallback, &max_depth, &blanks_after))
        return -1;
    a->started = 1;
    a->start_state = start_state; a->end_state = end_state;
    a->max_depth = max_depth; a->blanks_after = blanks_after;
    Py_INCREF(get_lexer); Py_INCREF(retype); Py_INCREF(fallback);
    a->get_lexer = get_lexer; a->retype = retype; a->fallback = fallback;
    a->end_name = PyUnicode_InternFromString("$END");
    if (!a->end_name) return -1;
    a->n_states = (int)PyList_GET_SIZE(actions);
    a->state_lexer = PyMem_Malloc(sizeof(int) * (a->n_states ? a->n_states : 1));
    if (!a->state_lexer) { PyErr_NoMemory(); return -1; }
    for (int i = 0; i < a->n_states; i++) a->state_lexer[i] = -1;
    if (init_table(a, actions) < 0) return -1;
    a->n_plans = (int)PyList_GET_SIZE(plans);
    a->plans = PyMem_Calloc(a->n_plans ? a->n_plans : 1, sizeof(Plan));
    if (!a->plans) { PyErr_NoMemory(); return -1; }
    for (int i = 0; i < a->n_plans; i++)
        if (init_plan(&a->plans[i], PyList_GET_ITEM(plans, i), a->n_states) < 0) return -1;
    a->ready = 1;
    return 0;
}

/* ---- reductions ------------------------------------------------------------------------------ */

#define IS_REDUCED(o) (PyTuple_CheckExact(o) && PyTuple_GET_SIZE(o) == 7)

/* the builder's error, as the Python loop reports it: Fallback(str(exc)); others pass */
static void builder_failed(Automaton *a) {
    if (!PyErr_ExceptionMatches(PyExc_Exception)) return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    Py_XDECREF(type); Py_XDECREF(value); Py_XDECREF(tb);
    if (!text) return;
    PyErr_SetObject(a->fallback, text);
    Py_DECREF(text);
}

static int append_nones(PyObject *list, int n) {
    for (int k = 0; k < n; k++)
        if (PyList_Append(list, Py_None) < 0) return -1;
    return 0;
}

/* a reduced rule: (value, depth, its container's start and end, empty); first and last are its
 * first and last children that are not placeholders or empty trees (NULL: none) */
static PyObject *reduced(PyObject *value, long depth, PyObject *first, PyObject *last) {
    PyObject *d = PyLong_FromLong(depth), *result;
    if (!d) return NULL;
    if (!first)
        result = PyTuple_Pack(7, value, d, Py_None, Py_None, Py_None, Py_None, Py_True);
    else
        result = PyTuple_Pack(7, value, d, PyTuple_GET_ITEM(first, 2), PyTuple_GET_ITEM(first, 3),
                              PyTuple_GET_ITEM(last, 4), PyTuple_GET_ITEM(last, 5), Py_False);
    Py_DECREF(d);
    return result;
}

/* lalr._reduce: children are the top `size` entries of the value stack (borrowed) */
static PyObject *reduce(Automaton *a, Plan *p, PyObject **children, PyObject *builder, PyObject *file) {
    int size = p->size;
    /* depth and positions (lark's PropagatePositions over the children's containers) */
    long depth = 0;
    PyObject *first = NULL, *last = NULL;
    for (int i = 0; i < size; i++) {
        PyObject *child = children[i];
        if (child == Py_None) continue;
        if (PyTuple_GET_SIZE(child) == 7) {
            long d = PyLong_AsLong(PyTuple_GET_ITEM(child, 1));
            if (i == 0 && p->chain) d -= 1;   /* a chain's earlier links: as deep as this one (lalr.chained) */
            if (d > depth) depth = d;
            if (PyTuple_GET_ITEM(child, 6) == Py_True) continue;
        }
        if (!first) first = child;
        last = child;
    }
    PyObject *filtered = NULL, *result = NULL, *values = NULL, *meta = NULL, *value = NULL;
    Py_ssize_t n_filtered;
    if (!p->has_expand && !p->single && !p->inline_) {
        /* the usual node: the builder's values straight from the kept children */
        if (!p->build) return fallback(a, "no builder for a rule");
        if (depth >= a->max_depth) return fallback(a, "deeply nested");
        depth += 1;
        int count = p->append_none;
        for (int j = 0; j < p->n_include; j++) count += p->inc_nones[j] + 1;
        values = PyList_New(count);
        if (!values) return NULL;
        int at = 0;
        for (int j = 0; j < p->n_include; j++) {
            for (int k = 0; k < p->inc_nones[j]; k++) { Py_INCREF(Py_None); PyList_SET_ITEM(values, at++, Py_None); }
            PyObject *child = children[p->inc_i[j]];
            if (child != Py_None && !p->tokens_only && PyTuple_GET_SIZE(child) == 7) child = PyTuple_GET_ITEM(child, 0);
            Py_INCREF(child);
            PyList_SET_ITEM(values, at++, child);
        }
        for (int k = 0; k < p->append_none; k++) { Py_INCREF(Py_None); PyList_SET_ITEM(values, at++, Py_None); }
        goto build;
    }
    if (p->keep_all) {
        filtered = PyList_New(size);
        if (!filtered) return NULL;
        for (int i = 0; i < size; i++) { Py_INCREF(children[i]); PyList_SET_ITEM(filtered, i, children[i]); }
    } else {
        filtered = PyList_New(0);
        if (!filtered) return NULL;
        for (int j = 0; j < p->n_include; j++) {
            if (append_nones(filtered, p->inc_nones[j]) < 0) goto fail;
            PyObject *child = children[p->inc_i[j]];
            if (p->inc_expand[j]) {   /* a _rule's children spliced in */
                PyObject *inner = PyTuple_GET_ITEM(child, 0);
                if (PyList_GET_SIZE(filtered)) {
                    if (PyList_SetSlice(filtered, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, inner) < 0) goto fail;
                } else {
                    /* its list taken over, not copied: item* grows one list (a copy per item
                       would be quadratic in the items) */
                    Py_INCREF(inner);
                    Py_DECREF(filtered);
                    filtered = inner;
                }
            } else if (PyList_Append(filtered, child) < 0) goto fail;
        }
        if (append_nones(filtered, p->append_none) < 0) goto fail;
    }
    n_filtered = PyList_GET_SIZE(filtered);
    if (p->single && n_filtered == 1) {
        PyObject *r = PyList_GET_ITEM(filtered, 0);
        if (r == Py_None || !IS_REDUCED(r) || !first) {
            Py_INCREF(r);
            Py_DECREF(filtered);
            return r;
        }
        result = PyTuple_Pack(7, PyTuple_GET_ITEM(r, 0), PyTuple_GET_ITEM(r, 1), PyTuple_GET_ITEM(first, 2),
                              PyTuple_GET_ITEM(first, 3), PyTuple_GET_ITEM(last, 4), PyTuple_GET_ITEM(last, 5),
                              Py_False);
        Py_DECREF(filtered);
        return result;
    }
    if (p->inline_) {
        result = reduced(filtered, depth, first, last);
        Py_DECREF(filtered);
        return result;
    }
    if (!p->build) { Py_DECREF(filtered); return fallback(a, "no builder for a rule"); }
    if (depth >= a->max_depth) { Py_DECREF(filtered); return fallback(a, "deeply nested"); }
    depth += 1;
    if (p->tokens_only) {
        values = filtered;
        filtered = NULL;
    } else {
        values = PyList_New(n_filtered);
        if (!values) goto fail;
        for (Py_ssize_t i = 0; i < n_filtered; i++) {
            PyObject *child = PyList_GET_ITEM(filtered, i);
            if (child != Py_None && PyTuple_GET_SIZE(child) == 7) child = PyTuple_GET_ITEM(child, 0);
            Py_INCREF(child);
            PyList_SET_ITEM(values, i, child);
        }
        Py_CLEAR(filtered);
    }
build:
    if (p->meta) {
        if (!first) {
            PyObject *zero = PyLong_FromLong(0);
            meta = PyTuple_Pack(5, zero, zero, zero, zero, file);
            Py_DECREF(zero);
        } else
            meta = PyTuple_Pack(5, PyTuple_GET_ITEM(first, 2), PyTuple_GET_ITEM(first, 3),
                                PyTuple_GET_ITEM(last, 4), PyTuple_GET_ITEM(last, 5), file);
        if (!meta) goto fail;
        if (untracked_for_good(file)) PyObject_GC_UnTrack(meta);   /* numbers and the file's name */
        PyObject *argv[3] = {builder, meta, values};
        value = PyObject_Vectorcall(p->build, argv, 3, NULL);
    } else {
        PyObject *argv[2] = {builder, values};
        value = PyObject_Vectorcall(p->build, argv, 2, NULL);
    }
    if (!value) { builder_failed(a); goto fail; }
    result = reduced(value, depth, first, last);
fail:
    Py_XDECREF(filtered); Py_XDECREF(values); Py_XDECREF(meta); Py_XDECREF(value);
    return result;
}

/* ---- the loop -------------------------------------------------------------------------------- */

typedef struct {
    int *states; Py_ssize_t n_states, cap_states;
    PyObject **values; Py_ssize_t n_values, cap_values;
} Stacks;

static int push_state(Stacks *s, int state) {
    if (s->n_states == s->cap_states) {
        Py_ssize_t cap = s->cap_states * 2 + 64;
        int *grown = PyMem_Realloc(s->states, sizeof(int) * cap);
        if (!grown) { PyErr_NoMemory(); return -1; }
        s->states = grown; s->cap_states = cap;
    }
    s->states[s->n_states++] = state;
    return 0;
}

static int push_value(Stacks *s, PyObject *v) {   /* steals v */
    if (s->n_values == s->cap_values) {
        Py_ssize_t cap = s->cap_values * 2 + 64;
        PyObject **grown = PyMem_Realloc(s->values, sizeof(PyObject *) * cap);
        if (!grown) { Py_DECREF(v); PyErr_NoMemory(); return -1; }
        s->values = grown; s->cap_values = cap;
    }
    s->values[s->n_values++] = v;
    return 0;
}

/* One reduction on the stacks: the rule's children popped, its value pushed, and the automaton
 * gone to the rule's goto of the state below them; 0, or -1 with an exception */
static int reduce_stacks(Automaton *a, Stacks *s, Plan *p, PyObject *builder, PyObject *file) {
    if (p->noop) {   /* a ?rule handing its one child on: the value stack is unchanged */
        s->states[s->n_states - 1] = p->goto_[s->states[s->n_states - 2]];
        return 0;
    }
    PyObject **children = s->values + s->n_values - p->size;
    PyObject *r = reduce(a, p, children, builder, file);
    if (!r) return -1;
    for (int i = 0; i < p->size; i++) Py_DECREF(children[i]);
    s->n_values -= p->size;
    s->n_states -= p->size;
    if (push_value(s, r) < 0) return -1;
    return push_state(s, p->goto_[s->states[s->n_states - 1]]);
}

/* Feed one token to the automaton -- reduce as long as the table says so, then shift it: 0 once
 * shifted, 1 once the end (token NULL, type $END) is accepted with *out the builder's value for the
 * start symbol (a new reference), -1 with an exception (lalr.Fallback where the table has no
 * action: a syntax error, which lark then reports).  Steals the token. */
static int feed(Automaton *a, Stacks *s, PyObject *token, PyObject *type, PyObject *builder, PyObject *file,
                PyObject **out) {
    PyObject *column_obj = PyDict_GetItemWithError(a->terminals, type);
    if (!column_obj) { if (!PyErr_Occurred()) fallback(a, "unexpected token"); goto failed; }
    const int *column = a->table + PyLong_AsLong(column_obj);
    for (;;) {
        int action = column[s->states[s->n_states - 1] * a->n_terminals];
        if (action == NO_ACTION) { fallback(a, "unexpected token"); goto failed; }
        if (action >= 0) {
            if (!token) { fallback(a, "shift at the end"); return -1; }
            if (push_state(s, action) < 0) goto failed;
            return push_value(s, token);
        }
        if (reduce_stacks(a, s, &a->plans[~action], builder, file) < 0) goto failed;
        if (!token && s->states[s->n_states - 1] == a->end_state) {
            PyObject *r = s->values[s->n_values - 1];
            *out = (r != Py_None && IS_REDUCED(r)) ? PyTuple_GET_ITEM(r, 0) : r;
            Py_INCREF(*out);
            return 1;
        }
    }
failed:
    Py_XDECREF(token);
    return -1;
}

/* parse(text, file, builder): lalr.FastParser.parse's loop -- lex the next token in the context of
 * the state on top, feed it, until the end is accepted */
static PyObject *Automaton_parse(Automaton *a, PyObject *args) {
    PyObject *text, *file, *builder, *out = NULL;
    if (!a->ready) {   /* made by __new__ without __init__, or its __init__ failed */
        PyErr_SetString(PyExc_RuntimeError, "Automaton is not initialised");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "UOO", &text, &file, &builder)) return NULL;
    Cursor x = {text, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), 0, 1, 0};
    Stacks s = {0};
    if (push_state(&s, a->start_state) < 0) goto done;
    for (;;) {
        PyObject *token = NULL, *type = NULL;
        int lexed = 0;
        if (x.pos < x.length) {
            Lexer *l = state_lexer(a, s.states[s.n_states - 1]);
            if (!l) goto done;
            lexed = next_token(a, &x, l, &token, &type);
            if (lexed < 0) goto done;
        }
        if (!lexed) { type = a->end_name; Py_INCREF(type); }
        int fed = feed(a, &s, token, type, builder, file, &out);
        Py_DECREF(type);
        if (fed != 0) goto done;
    }
done:
    for (Py_ssize_t i = 0; i < s.n_values; i++) Py_DECREF(s.values[i]);
    PyMem_Free(s.values);
    PyMem_Free(s.states);
    return out;
}

static PyMethodDef Automaton_methods[] = {
    {"parse", (PyCFunction)Automaton_parse, METH_VARARGS,
     "parse(text, file, builder): the builder's value for the start symbol, or lalr.Fallback"},
    {NULL}
};

static PyTypeObject AutomatonType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "fiscalrules._cparse.Automaton",
    .tp_basicsize = sizeof(Automaton),
    .tp_dealloc = (destructor)Automaton_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)Automaton_traverse,
    .tp_clear = (inquiry)Automaton_clear,
    .tp_doc = "lalr.FastParser's automaton and lexing loop, in C",
    .tp_methods = Automaton_methods,
    .tp_init = (initproc)Automaton_init,
    .tp_new = PyType_GenericNew,
};
