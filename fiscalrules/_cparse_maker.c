/* fiscalrules._cparse: the AST's node makers (fiscalrules.ast.make), and what the garbage
 * collector need not see of what this module makes (the module's overview: _cparse.c). */

#include "_cparse.h"
#include <structmember.h>

/* ---- the garbage collector ------------------------------------------------------------------
 *
 * A 10,000-rule compile spent about half its time in the cyclic collector: its collections walk
 * every tracked object, and the parsed AST is ~120,000 nodes and ~110,000 span tuples that live
 * on through the check and the compile.  An object that holds no container the collector tracks,
 * and can never be given one, can be no part of a reference cycle: CPython itself stops tracking
 * such a tuple, but only when a collection has examined it, and never a node.  So the span data
 * the loop makes (a node's meta: _cparse_loop.c), and (Maker) a frozen node whose fields are all such objects, are untracked when made
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
