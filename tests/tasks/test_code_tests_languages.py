"""code_tests in every language: A+B accepted, and each way to fail it judged as what it is.

Real compilers, the real sandbox (the backend code tasks use, ``$SYNLOG_CODE_SANDBOX``,
default ``warm``); a language whose toolchain is missing here skips, naming it. Compiled
programs go through the compile cache in a fresh folder per session (each source compiles
once).
"""

from __future__ import annotations

import pytest

from synlog.tasks.code import _compile
from synlog.tasks.code._harness import backend
from synlog.tasks.code._languages import LANGUAGES, available, missing_tool
from synlog.tasks.code.code_tests import judge

PROGRAMS = {
    "python": {
        "accept": "a, b = map(int, input().split())\nprint(a + b)\n",
        "wrong": "a, b = map(int, input().split())\nprint(a - b)\n",
        "runtime": "raise ValueError('boom')\n",
        "loop": "while True:\n    pass\n",
        "memory": "blocks = []\nwhile True:\n    blocks.append(bytearray(1 << 20))\n",
        "compile": "def (:\n",
        "flood": "while True:\n    print('x' * 1000)\n",
    },
    "c": {
        "accept": '#include <stdio.h>\nint main(void){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a+b);return 0;}\n',
        "wrong": '#include <stdio.h>\nint main(void){long a,b;scanf("%ld %ld",&a,&b);printf("%ld\\n",a-b);return 0;}\n',
        "runtime": "int main(void){return 3;}\n",
        "loop": "int main(void){volatile unsigned long x=0;for(;;)x++;}\n",
        "memory": "#include <stdlib.h>\n#include <string.h>\nint main(void){for(;;){char*p=malloc(1<<20);"
                  "if(!p)abort();memset(p,1,1<<20);}}\n",
        "compile": "int main(void){return x;}\n",
        "flood": '#include <stdio.h>\nint main(void){for(;;)puts("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");}\n',
    },
    "cpp": {
        "accept": "#include <bits/stdc++.h>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n",
        "wrong": "#include <bits/stdc++.h>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a-b<<'\\n';}\n",
        "runtime": "#include <stdexcept>\nint main(){throw std::runtime_error(\"boom\");}\n",
        "loop": "int main(){volatile unsigned long x=0;for(;;)x++;}\n",
        "memory": "#include <vector>\nint main(){std::vector<std::vector<char>> v;for(;;)v.emplace_back(1<<20,'x');}\n",
        "compile": "int main(){ undeclared(); }\n",
        "flood": "#include <cstdio>\nint main(){for(;;)std::puts(\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\");}\n",
    },
    "java": {
        "accept": "import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in);"
                  " long x = s.nextLong(), y = s.nextLong(); System.out.println(x + y); } }\n",
        "wrong": "import java.util.*;\npublic class Main { public static void main(String[] a) { Scanner s = new Scanner(System.in);"
                 " long x = s.nextLong(), y = s.nextLong(); System.out.println(x - y); } }\n",
        "runtime": "public class Main { public static void main(String[] a) { throw new RuntimeException(\"boom\"); } }\n",
        "loop": "public class Main { public static void main(String[] a) { long x = 0; while (true) { x++; } } }\n",
        "memory": "import java.util.*;\npublic class Main { public static void main(String[] a) {"
                  " List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 17]); } }\n",
        "compile": "public class Main { public static void main(String[] a) { int x = ; } }\n",
        "flood": "public class Main { public static void main(String[] a) { while (true)"
                 " System.out.println(\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"); } }\n",
    },
    "javascript": {
        "accept": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);\n"
                  "console.log((a + b).toString());\n",
        "wrong": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);\n"
                 "console.log((a - b).toString());\n",
        "runtime": "throw new Error('boom');\n",
        "loop": "let x = 0; for (;;) { x++; }\n",
        "memory": "const keep = []; for (;;) { keep.push(new Array(1 << 16).fill(1.5)); }\n",
        "compile": "function ( {\n",
        "flood": "const line = 'x'.repeat(1000) + '\\n'; for (;;) { process.stdout.write(line); }\n",
    },
    "rust": {
        "accept": "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();"
                  " let v: Vec<i64> = s.split_whitespace().map(|t| t.parse().unwrap()).collect();"
                  " println!(\"{}\", v[0] + v[1]); }\n",
        "wrong": "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();"
                 " let v: Vec<i64> = s.split_whitespace().map(|t| t.parse().unwrap()).collect();"
                 " println!(\"{}\", v[0] - v[1]); }\n",
        "runtime": "fn main() { panic!(\"boom\"); }\n",
        "loop": "fn main() { let mut x: u64 = 0; loop { unsafe { std::ptr::write_volatile(&mut x, x.wrapping_add(1)); } } }\n",
        "memory": "fn main() { let mut v: Vec<Vec<u8>> = Vec::new(); loop { v.push(vec![1u8; 1 << 20]); } }\n",
        "compile": "fn main() { let x: i32 = \"no\"; }\n",
        "flood": "fn main() { loop { println!(\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"); } }\n",
    },
    "go": {
        "accept": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b)\n}\n",
        "wrong": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a - b)\n}\n",
        "runtime": "package main\n\nfunc main() {\n\tpanic(\"boom\")\n}\n",
        "loop": "package main\n\nfunc main() {\n\tx := 0\n\tfor {\n\t\tx++\n\t}\n}\n",
        "memory": "package main\n\nvar keep [][]byte\n\nfunc main() {\n\tfor {\n\t\tb := make([]byte, 1<<20)\n"
                  "\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n}\n",
        "compile": "package main\n\nfunc main() {\n\tx := 1\n}\n",
        "flood": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor {\n\t\tfmt.Println(\"xxxxxxxxxxxxxxxxxxxxxxxx\")\n\t}\n}\n",
    },
}

#: what each program must be judged as
EXPECTED = {"accept": None, "wrong": "wrong_answer", "runtime": "runtime_error", "loop": "time_limit",
            "memory": "memory_limit", "compile": "compile_error", "flood": "output_limit"}


#: read n then n integers, print them sorted
SORTING = {
    "python": "import sys\ndata = sys.stdin.read().split()\nprint(' '.join(map(str, sorted(map(int, data[1:])))))\n",
    "c": "#include <stdio.h>\n#include <stdlib.h>\nstatic int cmp(const void*a,const void*b){long x=*(const long*)a,"
         "y=*(const long*)b;return (x>y)-(x<y);}\nint main(void){int n;if(scanf(\"%d\",&n)!=1)return 1;"
         "long*v=malloc(sizeof(long)*(n+1));for(int i=0;i<n;i++)scanf(\"%ld\",&v[i]);qsort(v,n,sizeof(long),cmp);"
         "for(int i=0;i<n;i++)printf(i?\" %ld\":\"%ld\",v[i]);printf(\"\\n\");return 0;}\n",
    "cpp": "#include <bits/stdc++.h>\nint main(){std::ios::sync_with_stdio(false);int n;std::cin>>n;"
           "std::vector<long long>v(n);for(auto&x:v)std::cin>>x;std::sort(v.begin(),v.end());"
           "for(int i=0;i<n;i++)std::cout<<(i?\" \":\"\")<<v[i];std::cout<<\"\\n\";}\n",
    "java": "import java.io.*;\nimport java.util.*;\npublic class Main { public static void main(String[] a) throws IOException {"
            " StreamTokenizer t = new StreamTokenizer(new BufferedReader(new InputStreamReader(System.in)));"
            " t.resetSyntax(); t.wordChars(33, 126); t.whitespaceChars(0, 32); t.nextToken(); int n = Integer.parseInt(t.sval);"
            " long[] v = new long[n]; for (int i = 0; i < n; i++) { t.nextToken(); v[i] = Long.parseLong(t.sval); }"
            " Arrays.sort(v); StringBuilder s = new StringBuilder(); for (int i = 0; i < n; i++) { if (i > 0) s.append(' ');"
            " s.append(v[i]); } System.out.println(s); } }\n",
    "javascript": "const t = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean).map(Number);\n"
                  "console.log(t.slice(1).sort((a, b) => a - b).join(' '));\n",
    "rust": "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();"
            " let mut v: Vec<i64> = s.split_whitespace().skip(1).map(|t| t.parse().unwrap()).collect(); v.sort();"
            " let o: Vec<String> = v.iter().map(|x| x.to_string()).collect(); println!(\"{}\", o.join(\" \")); }\n",
    "go": "package main\n\nimport (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n\t\"sort\"\n\t\"strings\"\n\t\"strconv\"\n)\n\n"
          "func main() {\n\tr := bufio.NewReader(os.Stdin)\n\tvar n int\n\tfmt.Fscan(r, &n)\n\tv := make([]int64, n)\n"
          "\tfor i := range v {\n\t\tfmt.Fscan(r, &v[i])\n\t}\n\tsort.Slice(v, func(i, j int) bool { return v[i] < v[j] })\n"
          "\tparts := make([]string, n)\n\tfor i, x := range v {\n\t\tparts[i] = strconv.FormatInt(x, 10)\n\t}\n"
          "\tfmt.Println(strings.Join(parts, \" \"))\n}\n",
}


#: A+B tests: 64-bit sums, negatives, zero
AB_TESTS = [{"input": f"{a} {b}\n", "output": f"{a + b}\n"} for a, b in
            [(1, 2), (-5, 5), (10**12, 10**12), (0, 0), (7, -9)]]


@pytest.fixture(scope="module", autouse=True)
def compile_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(_compile.CACHE_ENV, str(tmp_path_factory.mktemp("compile-cache")))
        _compile.clear_memory_cache()
        yield
    _compile.clear_memory_cache()


def needs(language: str) -> None:
    if not available(language):
        pytest.skip(f"{missing_tool(language)} is not installed here ({language} cannot be judged)")


def ab_problem(language: str, tests: list[dict] | None = None, **extra) -> dict:
    return {"language": language, "mode": "stdio", "tests": tests or AB_TESTS, "time_limit_s": 1, "memory_mb": 64,
            **extra}


def test_every_language_has_a_program_of_each_kind():
    assert set(PROGRAMS) == set(LANGUAGES)
    for programs in PROGRAMS.values():
        assert set(programs) == set(EXPECTED)


#: toolchains slow to start (the JVM, rustc, go build): the default run judges each once (the
#: accepted answer); their whole matrix, and their sorting test, run with -m slow
SLOW_LANGUAGES = {"java", "rust", "go"}


def matrix():
    for language in sorted(PROGRAMS):
        for kind in sorted(EXPECTED):
            marks = [pytest.mark.slow] if language in SLOW_LANGUAGES and kind != "accept" else []
            yield pytest.param(language, kind, marks=marks, id=f"{kind}-{language}")


def slow_for(languages):
    return [pytest.param(language, marks=[pytest.mark.slow] if language in SLOW_LANGUAGES else [], id=language)
            for language in sorted(languages)]


@pytest.mark.parametrize(("language", "kind"), list(matrix()))
def test_each_outcome_is_judged_as_what_it_is(language, kind):
    needs(language)
    # one test where the program spins or floods: a failing test costs its whole limit
    tests = AB_TESTS if kind in ("accept", "wrong", "compile") else AB_TESTS[:1]
    limit = 0.5 if kind == "loop" else 1
    verdict = judge(ab_problem(language, tests, time_limit_s=limit), PROGRAMS[language][kind], backend=backend())
    if EXPECTED[kind] is None:
        assert verdict.score == 1.0 and verdict.correct, verdict
        assert verdict.details == {"passed": len(tests), "total": len(tests), "fraction": 1.0}
        return
    assert verdict.score == 0.0 and verdict.reason.value == "wrong", verdict
    expected = {EXPECTED[kind]}
    if kind == "flood" and language == "javascript":
        # node queues writes to a pipe in its own memory: on a busy machine the queue reaches
        # the memory limit before the reader has counted the output limit; either ends the flood
        expected.add("memory_limit")
    assert verdict.details["failure"] in expected, verdict
    assert verdict.details["first_failing"] == 0, verdict
    assert verdict.details["passed"] < verdict.details["total"] and (kind == "wrong" or verdict.details["passed"] == 0)
    assert verdict.details["first_failure"], verdict
    if kind == "compile":
        assert verdict.details["compiler"], verdict


@pytest.mark.parametrize("language", slow_for(SORTING))
def test_sorting_ten_thousand_numbers(language):
    needs(language)
    import random

    rng = random.Random(7)
    tests = []
    for size in (0, 1, 5, 10_000):
        xs = [rng.randint(-10**9, 10**9) for _ in range(size)]
        tests.append({"input": f"{size}\n{' '.join(map(str, xs))}\n", "output": " ".join(map(str, sorted(xs))) + "\n"})
    problem = ab_problem(language, tests, memory_mb=256)
    assert judge(problem, SORTING[language], backend=backend()).score == 1.0
