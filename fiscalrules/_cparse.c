/* fiscalrules._cparse: the optional C half of the fast parse.  It owns three things, one section
 * each below, none of them a second implementation of anything -- each is the same as Python code
 * that runs where this module is not built, or with FISCALRULES_PURE_PYTHON set, or when
 * fiscalrules.cparse refuses the build (another source or ABI_VERSION):
 *
 * 1. Automaton (sections "the automaton's tables", "lexing", "reductions", "the loop"):
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
 * 2. The terminals' matcher (section of that name): each terminal's regular expression as a
 *    program (lalr_lexer.program), matched by backtracking in re's order, so that most tokens are
 *    matched without a call into re; re still matches where a terminal has no program or a match
 *    runs too deep.  match_program exposes it to the tests, which compare it with re.
 * 3. Maker (section "AST nodes made from every field"): fiscalrules.ast.make's node makers, what
 *    nodebase.maker's Python functions do.
 *
 * Threads: every cache filled during a parse (a state's scanner, a first character's matcher) is
 * filled under the GIL and never replaced once filled, as another thread may hold it borrowed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

/* the interface with the Python code (lalr.py's Automaton arguments and value-stack tuples,
 * nodebase.py's Maker arguments): fiscalrules.cparse refuses a build whose number is not its own
 * ABI_VERSION, so change both together */
#define ABI_VERSION 3
#define NO_ACTION INT_MIN
/* the CRC-32 of this file, given by setup.py: lalr.py does not use a build of another source */
#ifndef SOURCE_CRC
#define SOURCE_CRC 0
#endif

/* ---- the garbage collector ------------------------------------------------------------------
 *
 * A 10,000-rule compile spent about half its time in the cyclic collector: its collections walk
 * every tracked object, and the parsed AST is ~120,000 nodes and ~110,000 span tuples that live
 * on through the check and the compile.  An object that holds no container the collector tracks,
 * and can never be given one, can be no part of a reference cycle: CPython itself stops tracking
 * such a tuple, but only when a collection has examined it, and never a node.  So the span data
 * made here, and (Maker) a frozen node whose fields are all such objects, are untracked when made
 * -- a tree of them is never walked.  Untracking switches nothing: the collector runs as before
 * (tests/test_global_state.py), and untracked objects are freed by their reference counts.
 * One reference stays unseen: a node's to its class.  A class made at run time that held one of
 * its own untracked instances would never be freed, so nodebase.maker asks this only for the
 * rule language's own node classes (fiscalrules.ast), which live as long as the process. */

static int untracked_within(PyObject *o, int depth);

/* How deep untracked_within looks into tracked tuples inside tuples.  Bounded because a ruleset
 * cache entry (anyone's to write, cache.py) reaches the makers through the unpickler: a tuple
 * nested 300,000 deep must not recurse once per level on the C stack (a crash).  The parser's
 * own data nests a level or two; deeper tuples just stay tracked, as any tuple does until a
 * collection examines it. */
#define UNTRACK_DEPTH 8

/* CPython's own rule for a tuple (_PyTuple_MaybeUntrack), applied when it is met rather than at a
 * collection: a tuple of objects untracked for good is untracked */
static int untrack_tuple(PyObject *t, int depth) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++)
        if (!untracked_within(PyTuple_GET_ITEM(t, i), depth)) return 0;
    PyObject_GC_UnTrack(t);
    return 1;
}

/* Whether o is, and stays, out of the collector's sight: not a container (a string, a number,
 * None, a Decimal), or a container it does not track that cannot be changed into one it must --
 * an untracked tuple, a node Maker untracked, or a tuple of such (untracked here).  A dict is
 * untracked by CPython while it holds no container, and tracked again when given one: it counts as
 * tracked. */
static int untracked_within(PyObject *o, int depth) {
    if (!PyObject_IS_GC(o)) return 1;
    if (PyObject_GC_IsTracked(o))
        return depth > 0 && PyTuple_CheckExact(o) && untrack_tuple(o, depth - 1);
    return !PyDict_Check(o);
}

static int untracked_for_good(PyObject *o) { return untracked_within(o, UNTRACK_DEPTH); }

/* ---- the automaton's tables ------------------------------------------------------------------- */

typedef struct {
    int size, single, inline_, noop, keep_all, tokens_only, meta, has_expand;
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

static PyObject *s_lastgroup, *s_end;

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

static void free_lexer(Lexer *l) {
    Py_XDECREF(l->special); Py_XDECREF(l->for_char); Py_XDECREF(l->other);
    for (int c = 0; c < 128; c++) Py_XDECREF(l->ascii[c]);
    PyMem_Free(l);
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
 *   (size, single, inline, noop, keep_all, tokens_only, meta, build, include, append_none, goto)
 * include: ((i, expand, nones), ...); goto: a list per state, -1 where none */
static int init_plan(Plan *p, PyObject *described, int n_states) {
    PyObject *build, *include, *gotos;
    if (!PyArg_ParseTuple(described, "iiiiiiiOO!iO!", &p->size, &p->single, &p->inline_, &p->noop, &p->keep_all,
                          &p->tokens_only, &p->meta, &build, &PyTuple_Type, &include, &p->append_none,
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

/* ---- the terminals' matcher ------------------------------------------------------------------
 *
 * A terminal's regular expression as a program (lalr_lexer.program: characters and sets, groups,
 * ordered alternatives, greedy repeats of what cannot match the empty text, a one-character
 * look-behind), matched by backtracking in re's order -- alternatives first to last, repeats
 * longest first -- so the first match found is the one re finds.  A match needing more than
 * MAX_FRAMES nested steps (a text literal of about a hundred characters or more) gives up, and
 * the loop asks re.  The cap bounds the C stack a match takes (~220 bytes a step: ~45 KB), so
 * that a thread with a small stack (threading.stack_size) cannot overflow it: at 2,000 steps a
 * 950-character literal took ~450 KB and killed a thread of 256 KB (review A1).  It bounds the
 * depth, not the work: each terminal's program is matched from one position only. */

#define MAX_FRAMES 200
#define NO_MATCH (-1)
#define TOO_DEEP (-2)

enum { N_CHAR = 0, N_BEHIND = 1, N_ALT = 2, N_REPEAT = 3 };

typedef struct Seq Seq;
typedef struct {
    int kind, negate, n_ranges;   /* n_ranges: pairs */
    Py_UCS4 *ranges;
    int n_alts;
    Seq *alts;
    long min, max;                /* max -1: no limit */
    Seq *body;
    int one_char;                 /* a repeat of one character set */
} Node;
struct Seq { int n; Node *nodes; };

static void free_seq(Seq *seq) {
    for (int i = 0; i < seq->n; i++) {
        Node *node = &seq->nodes[i];
        PyMem_Free(node->ranges);
        if (node->alts) {
            for (int j = 0; j < node->n_alts; j++) free_seq(&node->alts[j]);
            PyMem_Free(node->alts);
        }
        if (node->body) { free_seq(node->body); PyMem_Free(node->body); }
    }
    PyMem_Free(seq->nodes);
    seq->nodes = NULL;
    seq->n = 0;
}

static int compile_seq(PyObject *items, Seq *out);

static int compile_node(PyObject *t, Node *node) {
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) < 2) { PyErr_SetString(PyExc_ValueError, "program"); return -1; }
    long kind = PyLong_AsLong(PyTuple_GET_ITEM(t, 0));
    if (kind == -1 && PyErr_Occurred()) return -1;
    node->kind = (int)kind;
    if (kind == N_CHAR || kind == N_BEHIND) {
        PyObject *ranges;
        if (!PyArg_ParseTuple(t, "iiO!", &node->kind, &node->negate, &PyTuple_Type, &ranges)) return -1;
        Py_ssize_t n = PyTuple_GET_SIZE(ranges);
        node->n_ranges = (int)(n / 2);
        node->ranges = PyMem_Malloc(sizeof(Py_UCS4) * (n ? n : 1));
        if (!node->ranges) { PyErr_NoMemory(); return -1; }
        for (Py_ssize_t i = 0; i < n; i++) {
            long v = PyLong_AsLong(PyTuple_GET_ITEM(ranges, i));
            if (v == -1 && PyErr_Occurred()) return -1;
            node->ranges[i] = (Py_UCS4)v;
        }
        return 0;
    }
    if (kind == N_ALT) {
        PyObject *alts;
        if (!PyArg_ParseTuple(t, "iO!", &node->kind, &PyTuple_Type, &alts)) return -1;
        node->n_alts = (int)PyTuple_GET_SIZE(alts);
        node->alts = PyMem_Calloc(node->n_alts ? node->n_alts : 1, sizeof(Seq));
        if (!node->alts) { PyErr_NoMemory(); return -1; }
        for (int j = 0; j < node->n_alts; j++)
            if (compile_seq(PyTuple_GET_ITEM(alts, j), &node->alts[j]) < 0) return -1;
        return 0;
    }
    if (kind == N_REPEAT) {
        PyObject *body;
        if (!PyArg_ParseTuple(t, "illO!", &node->kind, &node->min, &node->max, &PyTuple_Type, &body)) return -1;
        node->body = PyMem_Calloc(1, sizeof(Seq));
        if (!node->body) { PyErr_NoMemory(); return -1; }
        if (compile_seq(body, node->body) < 0) return -1;
        node->one_char = node->body->n == 1 && node->body->nodes[0].kind == N_CHAR;
        return 0;
    }
    PyErr_SetString(PyExc_ValueError, "program: unknown node");
    return -1;
}

static int compile_seq(PyObject *items, Seq *out) {
    if (!PyTuple_Check(items)) { PyErr_SetString(PyExc_ValueError, "program: a sequence is a tuple"); return -1; }
    out->n = (int)PyTuple_GET_SIZE(items);
    out->nodes = PyMem_Calloc(out->n ? out->n : 1, sizeof(Node));
    if (!out->nodes) { PyErr_NoMemory(); return -1; }
    for (int i = 0; i < out->n; i++)
        if (compile_node(PyTuple_GET_ITEM(items, i), &out->nodes[i]) < 0) return -1;
    return 0;
}

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
    int frames;
} Text;

/* what is left to match once a sequence is done: the rest of an enclosing sequence, or (after an
 * iteration of a repeat) the repeat again */
typedef struct Cont {
    const Seq *seq;
    int i;
    const Node *repeat;
    long count;
    const struct Cont *next;
} Cont;

static inline int in_ranges(const Node *node, Py_UCS4 c) {
    for (int r = 0; r < node->n_ranges; r++)
        if (node->ranges[2 * r] <= c && c <= node->ranges[2 * r + 1]) return 1;
    return 0;
}

/* a character set: in its ranges, or (negate) not */
static inline int in_set(const Node *node, Py_UCS4 c) {
    return in_ranges(node, c) != node->negate;
}

static Py_ssize_t run(Text *t, const Seq *seq, int i, Py_ssize_t pos, const Cont *k);

static Py_ssize_t repeat_from(Text *t, const Node *r, long count, Py_ssize_t pos, const Cont *k) {
    if (r->max < 0 || count < r->max) {   /* one more iteration first (greedy) */
        Cont again = {NULL, 0, r, count + 1, k};
        Py_ssize_t e = run(t, r->body, 0, pos, &again);
        if (e != NO_MATCH) return e;
    }
    if (count < r->min) return NO_MATCH;
    if (!k) return pos;
    return run(t, k->seq, k->i, pos, k->next);
}

static Py_ssize_t run(Text *t, const Seq *seq, int i, Py_ssize_t pos, const Cont *k) {
    if (++t->frames > MAX_FRAMES) return TOO_DEEP;
    Py_ssize_t result;
    for (;;) {
        if (i == seq->n) {   /* this sequence done: what follows it */
            if (!k) { result = pos; break; }
            if (k->repeat) { result = repeat_from(t, k->repeat, k->count, pos, k->next); break; }
            seq = k->seq; i = k->i; k = k->next;
            continue;
        }
        const Node *node = &seq->nodes[i];
        if (node->kind == N_CHAR) {
            if (pos >= t->length || !in_set(node, PyUnicode_READ(t->kind, t->data, pos))) { result = NO_MATCH; break; }
            pos++; i++;
            continue;
        }
        if (node->kind == N_BEHIND) {
            /* the character before is in the ranges (a look-behind), or (negate: a negative one)
               there is none or it is not */
            int before = pos > 0 && in_ranges(node, PyUnicode_READ(t->kind, t->data, pos - 1));
            if (before == node->negate) { result = NO_MATCH; break; }
            i++;
            continue;
        }
        if (node->kind == N_ALT) {
            Cont rest = {seq, i + 1, NULL, 0, k};
            result = NO_MATCH;
            for (int j = 0; j < node->n_alts; j++) {
                result = run(t, &node->alts[j], 0, pos, &rest);
                if (result != NO_MATCH) break;
            }
            break;
        }
        /* N_REPEAT */
        if (node->one_char) {   /* as many as there are, then back off one at a time (re's REPEAT_ONE) */
            const Node *set = &node->body->nodes[0];
            Py_ssize_t n = 0;
            while (pos + n < t->length && (node->max < 0 || n < node->max) &&
                   in_set(set, PyUnicode_READ(t->kind, t->data, pos + n)))
                n++;
            result = NO_MATCH;
            for (; n >= node->min; n--) {
                result = run(t, seq, i + 1, pos + n, k);
                if (result != NO_MATCH) break;
            }
            break;
        }
        Cont rest = {seq, i + 1, NULL, 0, k};
        result = repeat_from(t, node, 0, pos, &rest);
        break;
    }
    t->frames--;
    return result;
}

/* the scanner of one state for one first character: its terminals' programs in lark's order,
 * and the alternation of them for re (a match too deep for the matcher) */
typedef struct {
    int n;
    PyObject **types;
    Seq *programs;
    PyObject *match;   /* bound `match` of the alternation */
} Scan;

static void free_scan(PyObject *capsule) {
    Scan *scan = PyCapsule_GetPointer(capsule, "fiscalrules._cparse.Scan");
    if (!scan) return;
    for (int i = 0; i < scan->n; i++) { Py_XDECREF(scan->types[i]); free_seq(&scan->programs[i]); }
    PyMem_Free(scan->types);
    PyMem_Free(scan->programs);
    Py_XDECREF(scan->match);
    PyMem_Free(scan);
}

/* Scan of (pattern, ((name, program), ...)) in a capsule */
static PyObject *make_scan(PyObject *pattern, PyObject *programs) {
    Scan *scan = PyMem_Calloc(1, sizeof(Scan));
    if (!scan) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(scan, "fiscalrules._cparse.Scan", free_scan);
    if (!capsule) { PyMem_Free(scan); return NULL; }
    scan->match = PyObject_GetAttrString(pattern, "match");
    if (!scan->match) { Py_DECREF(capsule); return NULL; }
    if (!PyTuple_Check(programs)) { PyErr_SetString(PyExc_TypeError, "programs"); Py_DECREF(capsule); return NULL; }
    int n = (int)PyTuple_GET_SIZE(programs);
    scan->types = PyMem_Calloc(n ? n : 1, sizeof(PyObject *));
    scan->programs = PyMem_Calloc(n ? n : 1, sizeof(Seq));
    if (!scan->types || !scan->programs) { Py_DECREF(capsule); return PyErr_NoMemory(); }
    scan->n = n;
    for (int i = 0; i < n; i++) {
        PyObject *name, *program;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(programs, i), "UO", &name, &program) ||
            compile_seq(program, &scan->programs[i]) < 0) { Py_DECREF(capsule); return NULL; }
        Py_INCREF(name);
        PyUnicode_InternInPlace(&name);
        scan->types[i] = name;
    }
    return capsule;
}

/* match_program(program, text, pos): where the program's match at pos ends, -1 for none, -2 too
 * deep (tests compare it with re) */
static PyObject *match_program(PyObject *module, PyObject *args) {
    PyObject *program, *text;
    Py_ssize_t pos;
    if (!PyArg_ParseTuple(args, "OUn", &program, &text, &pos)) return NULL;
    Seq seq = {0};
    if (compile_seq(program, &seq) < 0) { free_seq(&seq); return NULL; }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), 0};
    Py_ssize_t end = (pos < 0 || pos > t.length) ? NO_MATCH : run(&t, &seq, 0, pos, NULL);
    free_seq(&seq);
    return PyLong_FromSsize_t(end);
}

/* ---- lexing ---------------------------------------------------------------------------------- */

/* A state's scanner is asked of lalr.FastParser (get_lexer) the first time the state is on top,
 * and a first character's matcher of the scanner (Scanner.programs) the first time a token starts
 * with it; both are kept for the automaton's life. */

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

/* Where the lexing stands in the text: the next character's index, the line it is on and where
 * that line starts (lines and columns are 1-based, as lark's) */
typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t length, pos, line, line_start;
} Cursor;

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
 * this file's matcher, the first match winning as in re's alternation; re itself matches where one
 * of them has no program (the Scan is then re's bound match) or a program runs too deep. */
static Py_ssize_t match_terminal(Automaton *a, const Cursor *x, Lexer *l, PyObject **type) {
    PyObject *match = matcher(l, PyUnicode_READ(x->kind, x->data, x->pos));
    if (!match) return -1;
    if (PyCapsule_CheckExact(match)) {
        Scan *scan = PyCapsule_GetPointer(match, "fiscalrules._cparse.Scan");
        Text t = {x->kind, x->data, x->length, 0};
        Py_ssize_t end = NO_MATCH;
        for (int j = 0; j < scan->n && end == NO_MATCH; j++) {
            end = run(&t, &scan->programs[j], 0, x->pos, NULL);
            if (end >= 0) { *type = scan->types[j]; Py_INCREF(*type); return end; }
        }
        if (end == NO_MATCH) { fallback(a, "no token here"); return -1; }
        match = scan->match;   /* TOO_DEEP: re's */
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

/* ---- reductions ------------------------------------------------------------------------------ */

#define IS_REDUCED(o) (PyTuple_CheckExact(o) && PyTuple_GET_SIZE(o) == 7)

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

/* ---- AST nodes made from every field ---------------------------------------------------------- */

/* Maker(cls, descriptors, qualname, module, frozen): called with one value per descriptor (the
 * class's own slots, in its fields' order), the node: what ast.maker's Python function does --
 * object.__new__(cls), then each slot stored by its member descriptor -- without a Python frame
 * and a call per slot.  A frozen class's node whose fields are all out of the collector's sight
 * is untracked (see "the garbage collector"): frozen says its fields are never set again.
 * It reads member descriptors' insides (PyMemberDescrObject, its d_member's type, offset and
 * flags), which the limited API does not offer: checked on CPython 3.11 to 3.13; a CPython that
 * changes them may need this looked at (Maker_new refuses anything unexpected with TypeError). */
typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    Py_ssize_t n;
    Py_ssize_t *offsets;
    vectorcallfunc vectorcall;
    PyObject *qualname, *module;   /* where it is found ("make.Name" in fiscalrules.ast): pickled by that name */
    int frozen;                    /* its nodes' fields are never changed: one of atoms is untracked */
} Maker;

static PyObject *Maker_call(Maker *m, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    if (n != m->n || (kwnames && PyTuple_GET_SIZE(kwnames))) {
        PyErr_Format(PyExc_TypeError, "%s has %zd fields, got %zd", m->cls->tp_name, m->n, n);
        return NULL;
    }
    PyObject *node = m->cls->tp_alloc(m->cls, 0);
    if (!node) return NULL;
    int atoms = m->frozen;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(args[i]);
        *(PyObject **)((char *)node + m->offsets[i]) = args[i];
        if (atoms && !untracked_for_good(args[i])) atoms = 0;
    }
    if (atoms) PyObject_GC_UnTrack(node);   /* see "the garbage collector" */
    return node;
}

static int Maker_traverse(Maker *m, visitproc visit, void *arg) {
    Py_VISIT(m->cls);
    return 0;
}

/* pickled as a reference to the name it is found by, as a function is */
static PyObject *Maker_reduce(Maker *m, PyObject *unused) {
    Py_INCREF(m->qualname);
    return m->qualname;
}

static PyMethodDef Maker_methods[] = {
    {"__reduce__", (PyCFunction)Maker_reduce, METH_NOARGS, NULL},
    {NULL}
};

static PyMemberDef Maker_members[] = {
    {"__qualname__", T_OBJECT, offsetof(Maker, qualname), READONLY, NULL},
    {"__name__", T_OBJECT, offsetof(Maker, qualname), READONLY, NULL},
    {"__module__", T_OBJECT, offsetof(Maker, module), READONLY, NULL},
    {NULL}
};

static void Maker_dealloc(Maker *m) {
    PyObject_GC_UnTrack(m);
    Py_XDECREF(m->cls);
    Py_XDECREF(m->qualname);
    Py_XDECREF(m->module);
    PyMem_Free(m->offsets);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static PyObject *Maker_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
    PyTypeObject *cls;
    PyObject *descriptors, *qualname, *module;
    int frozen = 0;
    if (!PyArg_ParseTuple(args, "O!O!UU|p", &PyType_Type, &cls, &PyTuple_Type, &descriptors, &qualname, &module,
                          &frozen))
        return NULL;
    if (cls->tp_new != PyBaseObject_Type.tp_new || (cls->tp_flags & Py_TPFLAGS_IS_ABSTRACT)) {
        PyErr_SetString(PyExc_TypeError, "a class made by object.__new__ only");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(descriptors);
    Py_ssize_t *offsets = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    if (!offsets) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyTuple_GET_ITEM(descriptors, i);
        /* a slot of this class holding any object: what its descriptor's __set__ would store */
        if (Py_TYPE(d) != &PyMemberDescr_Type || ((PyDescrObject *)d)->d_type != cls ||
            ((PyMemberDescrObject *)d)->d_member->type != T_OBJECT_EX ||
            (((PyMemberDescrObject *)d)->d_member->flags & READONLY)) {
            PyMem_Free(offsets);
            PyErr_SetString(PyExc_TypeError, "a writable object slot of the class itself only");
            return NULL;
        }
        offsets[i] = ((PyMemberDescrObject *)d)->d_member->offset;
    }
    Maker *m = (Maker *)type->tp_alloc(type, 0);
    if (!m) { PyMem_Free(offsets); return NULL; }
    Py_INCREF(cls);
    m->cls = cls;
    m->n = n;
    m->offsets = offsets;
    m->vectorcall = (vectorcallfunc)Maker_call;
    Py_INCREF(qualname);
    Py_INCREF(module);
    m->qualname = qualname;
    m->module = module;
    /* no __dict__ either: one could be given anything later */
    m->frozen = frozen && cls->tp_dictoffset == 0;
    return (PyObject *)m;
}

static PyTypeObject MakerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "fiscalrules._cparse.Maker",
    .tp_basicsize = sizeof(Maker),
    .tp_dealloc = (destructor)Maker_dealloc,
    .tp_vectorcall_offset = offsetof(Maker, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_traverse = (traverseproc)Maker_traverse,
    .tp_doc = "Maker(cls, member descriptors, qualname, module, frozen=False): a node of cls from every field by position",
    .tp_methods = Maker_methods,
    .tp_members = Maker_members,
    .tp_new = Maker_new,
};

static PyMethodDef module_functions[] = {
    {"match_program", match_program, METH_VARARGS,
     "match_program(program, text, pos): the end of the program's match at pos, -1 none, -2 too deep"},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cparse", "fiscalrules.lalr's token loop and ast.maker in C", -1,
                                    module_functions};

PyMODINIT_FUNC PyInit__cparse(void) {
    s_lastgroup = PyUnicode_InternFromString("lastgroup");
    s_end = PyUnicode_InternFromString("end");
    if (!s_lastgroup || !s_end || PyType_Ready(&AutomatonType) < 0 || PyType_Ready(&MakerType) < 0) return NULL;
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
