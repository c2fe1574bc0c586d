"""fiscalrules.inputs.pathnames: a path's text, name and stem exactly as pathlib gives them."""

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalrules.inputs.pathnames import path_name, path_stem, path_text

PATHS = ["examples/bureau_2025.txt", "./examples//bureau_2025.txt", "/tmp/a/b.c.txt", "//host/share/x.txt",
         "///x.txt", "a/./b/../c.rules", "a/", "a/.", ".", "./", "", "/", "//", "///", "..", "../x", ".bashrc",
         "x.", "x..", ".x.", "a.tar.gz", "名字/部门预算.txt", "a b/c d.pdf", "~/x.txt", "a\\b.txt", "...", "x/..y"]


@pytest.mark.parametrize("text", PATHS)
def test_text_name_and_stem_are_pathlib_s(text):
    assert path_text(text) == str(Path(text))
    assert path_name(text) == Path(text).name
    assert path_stem(text) == Path(text).stem


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["", ".", "..", "a", "b.c", ".d", "e.", "f.g.h", "/", "//", "名", " "]), max_size=6))
def test_any_mix_of_parts_is_read_as_pathlib_reads_it(pieces):
    text = "/".join(pieces)
    assert (path_text(text), path_name(text), path_stem(text)) == (str(Path(text)), Path(text).name, Path(text).stem)


def test_a_path_object_is_read_as_its_text():
    assert path_text(Path("x/./y.txt")) == "x/y.txt" and path_stem(Path("x/y.txt")) == "y"
    with pytest.raises(TypeError):
        path_text(b"bytes.txt")
    assert os.fspath(Path(path_text("a//b"))) == "a/b"
