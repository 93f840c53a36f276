"""Nothing a user owns is lost, and every mistake gets a plain, located answer.

Each test is a case a new user ran into (issue 13): a command that deleted, replaced or hung
on something it should have left alone, or answered with a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.common.errors import InputError
from assessment.io.xlsx import export_workbook, import_workbook
from tests.conftest import FIXTURES, MINI_ANSWERS, start_serving

BANKS = ["--bank-path", str(FIXTURES)]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def answers_in(folder: Path, extra: str = "") -> Path:
    path = folder / "acme.yaml"
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    path.write_text(text.replace("answers:\n", f"{extra}answers:\n", 1), encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# --- builds never delete what they did not make --------------------------------------------


def test_build_into_the_folder_holding_its_input_is_refused_even_with_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    answers_in(tmp_path)
    (tmp_path / "important.txt").write_text("keep me")
    before = tree(tmp_path)
    code, output = run("build", *BANKS, "acme.yaml", "--out", ".", "--force")
    assert code == 2
    assert "holds an input of this build" in output
    assert tree(tmp_path) == before


def test_build_refuses_an_output_folder_holding_the_current_folder(tmp_path, monkeypatch):
    answers = answers_in(tmp_path)
    work = tmp_path / "out" / "inner"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    code, output = run("build", *BANKS, str(answers), "--out", str(tmp_path / "out"), "--force")
    assert code == 2
    assert "holds the current folder" in output
    assert work.is_dir()


def test_force_moves_a_users_folder_aside_and_says_where(tmp_path):
    answers = answers_in(tmp_path)
    report = tmp_path / "myreport"
    (report / "sub").mkdir(parents=True)
    (report / "important.txt").write_text("mine")
    (report / "sub" / "notes.md").write_text("also mine")
    mine = tree(report)
    code, output = run("build", *BANKS, str(answers), "--out", str(report))
    assert code == 2
    assert "was not made by cxassess" in output
    assert tree(report) == mine
    code, output = run("build", *BANKS, str(answers), "--out", str(report), "--force")
    assert code == 0, output
    backup = tmp_path / "myreport.bak"
    assert f"aside to {backup}" in output
    assert tree(backup) == mine
    assert (report / "en" / "index.html").is_file()


def test_an_input_inside_an_earlier_site_is_not_deleted(tmp_path):
    site = tmp_path / "site"
    assert run("build", *BANKS, str(answers_in(tmp_path)), "--out", str(site))[0] == 0
    inside = answers_in(site)  # the user keeps the answers file in the site folder
    code, output = run("build", *BANKS, str(inside), "--out", str(site))
    assert code == 2
    assert "holds an input of this build" in output
    assert inside.is_file()


def test_a_file_added_to_a_built_site_makes_it_the_users(tmp_path):
    answers, site = answers_in(tmp_path), tmp_path / "site"
    assert run("build", *BANKS, str(answers), "--out", str(site))[0] == 0
    assert run("build", *BANKS, str(answers), "--out", str(site))[0] == 0  # ours: replaced
    (site / "en" / "my-notes.md").write_text("written by hand")
    code, output = run("build", *BANKS, str(answers), "--out", str(site))
    assert code == 2
    assert "holds files cxassess did not write (en/my-notes.md)" in output
    code, _ = run("build", *BANKS, str(answers), "--out", str(site), "--force")
    assert code == 0
    assert (tmp_path / "site.bak" / "en" / "my-notes.md").read_text() == "written by hand"


@pytest.mark.parametrize("kind", ["empty folder", "link to a folder"])
def test_a_folder_added_to_a_built_site_makes_it_the_users(tmp_path, kind):
    answers, site = answers_in(tmp_path), tmp_path / "site"
    assert run("build", *BANKS, str(answers), "--out", str(site))[0] == 0
    theirs = tmp_path / "theirs"
    (theirs / "inner").mkdir(parents=True)
    (theirs / "inner" / "keep.txt").write_text("theirs")
    if kind == "empty folder":
        (site / "en" / "drafts" / "empty").mkdir(parents=True)
        added = "en/drafts/"
    else:
        (site / "mine").symlink_to(theirs, target_is_directory=True)
        added = "mine/"
    code, output = run("build", *BANKS, str(answers), "--out", str(site))
    assert code == 2
    assert f"holds files cxassess did not write ({added})" in output
    assert run("build", *BANKS, str(answers), "--out", str(site), "--force")[0] == 0
    kept = tmp_path / "site.bak" / added
    assert kept.is_dir()
    assert (theirs / "inner" / "keep.txt").read_text() == "theirs"


def test_a_cache_folder_the_user_made_is_left_alone(tmp_path):
    answers = answers_in(tmp_path)
    theirs = tmp_path / ".site.cache"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("theirs")
    code, output = run("build", *BANKS, str(answers), "--out", str(tmp_path / "site"))
    assert code == 0
    assert "was not made by cxassess; built without the cache" in output
    assert sorted(p.name for p in theirs.iterdir()) == ["keep.txt"]


def test_output_inside_a_file_is_a_plain_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    code, output = run("build", *BANKS, str(MINI_ANSWERS), "--out", str(tmp_path / "afile/site"))
    assert code == 2
    assert "is a file, so no folder can be made inside it" in output


# --- builds that are killed or run at once -------------------------------------------------


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with __import__("contextlib").suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition, what: str) -> None:
    """Poll for a state the test needs to reach (not a speed limit: a stuck state fails)."""
    for _ in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"never reached: {what}")


def _start_demo_build(tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CXASSESS_BUILD_WORKERS": "2", "CXASSESS_TEMPLATE_CACHE": "off"}
    command = [sys.executable, "-m", "assessment.cli", "build", "--no-cache", "--out", "site"]
    return subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_no_workers_and_the_next_build_no_work_folders(tmp_path, how):
    build = _start_demo_build(tmp_path)
    _wait(lambda: _children(build.pid), "the build started its workers")
    workers = _children(build.pid)
    build.send_signal(how)
    build.wait()
    _wait(lambda: not any(_alive(w) for w in workers), "every worker ended with the build")
    if how == signal.SIGTERM:  # it could clean up after itself
        assert not list(tmp_path.glob(".site.build-*"))
    code, output = run("build", *BANKS, str(answers_in(tmp_path)), "--out", str(tmp_path / "site"))
    assert code == 0, output
    assert not list(tmp_path.glob(".site.*-*"))


def test_builds_into_one_folder_take_turns(tmp_path):
    answers = answers_in(tmp_path)
    command = [sys.executable, "-m", "assessment.cli", "build", *BANKS, str(answers)]
    builds = [
        subprocess.Popen(
            [*command, "--out", str(tmp_path / "site")], stderr=subprocess.PIPE, cwd=tmp_path
        )
        for _ in range(3)
    ]
    results = [(b.wait(), b.stderr.read().decode() if b.stderr else "") for b in builds]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert (tmp_path / "site" / "en" / "index.html").is_file()
    assert not list(tmp_path.glob(".site.*-*"))


# --- files that answers files name ---------------------------------------------------------


def test_a_survey_outside_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("nps\n9\nSECRET-LINE\n")
    project = tmp_path / "project"
    project.mkdir()
    answers = answers_in(project, "survey: ../secret.csv\n")
    code, output = run("validate", *BANKS, str(answers))
    assert code == 2
    assert "lies outside the folder" in output
    assert "SECRET" not in output
    code, output = run("validate", *BANKS, "--allow-outside", str(answers))
    assert code == 2  # read now: its third line is not a number
    assert "secret.csv:3" in output


def test_a_link_out_of_the_folder_is_outside_too(tmp_path):
    (tmp_path / "elsewhere.csv").write_text("nps\n9\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "survey.csv").symlink_to(tmp_path / "elsewhere.csv")
    code, output = run("validate", *BANKS, str(answers_in(project, "survey: survey.csv\n")))
    assert code == 2
    assert "lies outside the folder" in output


def test_pipes_and_devices_are_refused_without_reading(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    code, output = run("validate", *BANKS, str(answers_in(tmp_path, "survey: pipe.csv\n")))
    assert code == 2
    assert "is not a regular file" in output
    answers = answers_in(tmp_path, "survey: /dev/zero\n")
    code, output = run("validate", *BANKS, "--allow-outside", str(answers))
    assert code == 2
    assert "/dev/zero: is not a regular file" in output
    code, output = run("validate", str(tmp_path / "pipe.csv"))
    assert code == 2
    assert "is not a regular file" in output


def test_a_project_names_only_files_in_its_folder(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "cxassess.yaml").write_text(
        "organisations:\n  - id: tiny\n    rounds:\n      - answers: ../acme.yaml\n"
        "        bank_path: /usr\n"
    )
    answers_in(tmp_path)
    code, output = run(
        "build", *BANKS, str(project / "cxassess.yaml"), "--out", str(tmp_path / "s")
    )
    assert code == 2
    assert "rounds[0].answers: answers '../acme.yaml' lies outside" in output
    assert "rounds[0].bank_path: bank_path '/usr' lies outside" in output


# --- commands that write files -------------------------------------------------------------


def test_export_writes_both_files_or_neither(tmp_path):
    out = tmp_path / "ex"
    out.mkdir()
    (out / "tiny.csv").write_text("mine")
    code, output = run("export", *BANKS, str(MINI_ANSWERS), "--out", str(out))
    assert code == 2
    assert "tiny.csv: file exists" in output
    assert sorted(p.name for p in out.iterdir()) == ["tiny.csv"]
    assert (out / "tiny.csv").read_text() == "mine"


def test_a_bare_carriage_return_cannot_start_a_spreadsheet_row(tmp_path):
    hostile = "fine\r=cmd|' /C calc'!A0"
    answers = tmp_path / "acme.yaml"
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    answers.write_text(text.replace("q1:\n", f"q1:\n    note: {json.dumps(hostile)}\n", 1))
    assert run("export", *BANKS, str(answers), "--out", str(tmp_path / "ex"))[0] == 0
    data = (tmp_path / "ex" / "tiny.csv").read_bytes()
    assert b"\r" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 1 + 5  # the header and one row per question, nothing split off
    assert rows[1][rows[0].index("note")] == "fine\n=cmd|' /C calc'!A0"


def test_written_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        assert run("new", *BANKS, "--bank", "mini", "--out", str(tmp_path / "a.yaml"))[0] == 0
        assert run("export", *BANKS, str(MINI_ANSWERS), "--out", str(tmp_path / "ex"))[0] == 0
        book = tmp_path / "q.xlsx"
        assert run("xlsx", "export", *BANKS, "--bank", "mini", "--out", str(book))[0] == 0
    finally:
        os.umask(old)
    for path in (tmp_path / "a.yaml", tmp_path / "ex" / "tiny.csv", book):
        assert path.stat().st_mode & 0o777 == 0o640, path
    (tmp_path / "a.yaml").chmod(0o600)
    assert (
        run("new", *BANKS, "--bank", "mini", "--out", str(tmp_path / "a.yaml"), "--force")[0] == 0
    )
    assert (tmp_path / "a.yaml").stat().st_mode & 0o777 == 0o600  # a replaced file keeps its own
    assert (tmp_path / "a.yaml.bak").is_file()


def test_new_refuses_to_write_onto_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    code, output = run("new", *BANKS, "--bank", "mini", "--out", str(tmp_path / "fifo"), "--force")
    assert code == 2
    assert "is not a regular file" in output


def test_writing_through_a_link_keeps_the_link_and_backs_up_what_it_points_to(tmp_path):
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "acme.yaml").write_text("# my answers\n", encoding="utf-8")
    link = tmp_path / "acme.yaml"
    link.symlink_to(kept / "acme.yaml")
    code, output = run("new", *BANKS, "--bank", "mini", "--out", str(link))
    assert code == 2
    assert "file exists" in output
    code, output = run("new", *BANKS, "--bank", "mini", "--out", str(link), "--force")
    assert code == 0, output
    assert link.is_symlink()
    assert link.resolve() == (kept / "acme.yaml").resolve()
    assert "bank: mini" in (kept / "acme.yaml").read_text(encoding="utf-8")
    assert (kept / "acme.yaml.bak").read_text(encoding="utf-8") == "# my answers\n"
    assert str(kept / "acme.yaml.bak") in output


def test_a_link_that_loops_is_refused(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "other.yaml")
    (tmp_path / "other.yaml").symlink_to(loop)
    code, output = run("new", *BANKS, "--bank", "mini", "--out", str(loop), "--force")
    assert code == 2
    assert "loop" in output
    assert loop.is_symlink()
    assert (tmp_path / "other.yaml").is_symlink()


def test_no_answers_file_is_written_that_cxassess_would_not_read_back(tmp_path, monkeypatch):
    from assessment.load import yamlio

    code, output = run("new", *BANKS, "--bank", "mini", "--out", str(tmp_path / "a.yaml"))
    assert code == 0, output
    size = (tmp_path / "a.yaml").stat().st_size
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", size - 1)
    code, output = run("new", *BANKS, "--bank", "mini", "--out", str(tmp_path / "b.yaml"))
    assert code == 1
    assert f"would be {size} bytes" in output
    assert not (tmp_path / "b.yaml").exists()


def test_a_folder_named_where_a_file_belongs_is_bad_input(tmp_path):
    path = answers_in(tmp_path, "survey: survey.csv\n")
    (tmp_path / "survey.csv").mkdir()
    code, output = run("validate", *BANKS, str(path))
    assert code == 2
    assert "survey.csv: is a folder, expected a file" in output


def test_serve_on_a_busy_port_says_so(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, output = run(
            "serve", *BANKS, str(MINI_ANSWERS), "--port", str(port), "--out", str(tmp_path / "s")
        )
    assert code == 1
    assert f"cannot serve on 127.0.0.1:{port}" in output
    assert not (tmp_path / "s").exists()  # the port is checked before anything is built


# --- spreadsheets ----------------------------------------------------------------------


def test_a_stray_cell_at_the_last_row_is_read_cheaply_and_reported(mini_bank, tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(export_workbook(mini_bank, "en"))
    wb = openpyxl.load_workbook(path)
    wb["Alpha"]["A1048576"] = "stray"
    wb["Info"]["C9"] = "2026-11-01"
    wb.save(path)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as excinfo:
            import_workbook(path, mini_bank)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.path for p in excinfo.value.problems] == ["Alpha!A1048576"]
    assert peak < 64 * 1024 * 1024  # a million rows of cells took 1.9 GB


def test_no_command_writes_over_its_own_input_even_with_force(tmp_path):
    answers = tmp_path / "tiny.json"  # the export's own name for organisation "tiny"
    answers.write_bytes(MINI_ANSWERS.read_bytes())
    other = tmp_path / "other.yaml"
    other.write_bytes(MINI_ANSWERS.read_bytes())
    workbook = tmp_path / "tiny.xlsx"
    assert run("xlsx", "export", *BANKS, "--answers", str(other), "--out", str(workbook))[0] == 0
    before = tree(tmp_path)
    for args, what in [
        (["export", *BANKS, str(answers), "--out", str(tmp_path)], "the export"),
        (["combine", *BANKS, str(answers), str(other), "--out", str(other)], "the combined file"),
        (["xlsx", "import", *BANKS, str(workbook), "--out", str(workbook)], "the answers file"),
        (["xlsx", "export", *BANKS, "--answers", str(other), "--out", str(other)], "the workbook"),
    ]:
        code, output = run(*args, "--force")
        assert code == 2, output
        assert f"is one of the files {what} is made from" in output
    assert tree(tmp_path) == before  # nothing written, no backup made


def test_every_command_that_replaces_a_file_says_where_the_old_one_is_kept(tmp_path):
    lead, front = tmp_path / "lead.yaml", tmp_path / "front.yaml"
    lead.write_bytes(MINI_ANSWERS.read_bytes())
    front.write_bytes(MINI_ANSWERS.read_bytes())
    for args in (
        ["export", *BANKS, str(lead), "--out", str(tmp_path / "export")],
        ["combine", *BANKS, str(lead), str(front), "--out", str(tmp_path / "both.yaml")],
    ):
        assert run(*args)[0] == 0
        code, output = run(*args, "--force")
        assert code == 0, output
        kept = sorted(tmp_path.rglob("*.bak"))
        assert kept
        for backup in kept:
            assert str(backup) in output
            backup.unlink()


def test_serve_into_a_users_folder_refuses_then_moves_it_aside_with_force(tmp_path):
    theirs = tmp_path / "s"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("theirs")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = ["serve", *BANKS, str(MINI_ANSWERS), "--port", str(port), "--out", str(theirs)]
    code, output = run(*serve)
    assert code == 2
    assert "use --force to move it aside" in output
    server, said = start_serving([*serve[1:], "--force"])
    server.terminate()
    server.wait(60)
    assert f"moved the folder that was at {theirs} aside to {tmp_path / 's.bak'}\n" in said, said
    assert (tmp_path / "s.bak" / "notes.txt").read_text() == "theirs"
    assert (theirs / "en" / "index.html").is_file()
