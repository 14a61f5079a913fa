#!/usr/bin/env python3
"""Lists the functions of src/ longer than a limit, outside tests.

Usage: scripts/fn-lengths.py [LIMIT=60]
A function's length is its line count from the `fn` line to its closing brace. Code inside a
`#[cfg(test)]` item and files named tests.rs are skipped. Prints one line per long function,
longest first, then a count. Exits 1 when a function exceeds 150 lines.
"""
import os
import re
import sys

FN = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"[^"]*"\s+)?fn\s+(\w+)')


def strip(line, state):
    """The line with string, char and comment contents removed; state carries block comments."""
    out = []
    i = 0
    n = len(line)
    while i < n:
        if state['block']:
            j = line.find('*/', i)
            if j < 0:
                return ''.join(out)
            state['block'] = False
            i = j + 2
            continue
        c = line[i]
        if state['str']:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                state['str'] = False
            i += 1
            continue
        if state['raw'] is not None:
            end = '"' + '#' * state['raw']
            j = line.find(end, i)
            if j < 0:
                return ''.join(out)
            state['raw'] = None
            i = j + len(end)
            continue
        if line.startswith('//', i):
            break
        if line.startswith('/*', i):
            state['block'] = True
            i += 2
            continue
        m = re.match(r'r(#*)"', line[i:])
        if m and (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == '_')):
            state['raw'] = len(m.group(1))
            i += len(m.group(0))
            continue
        if c == '"':
            state['str'] = True
            i += 1
            continue
        if c == "'":
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", line[i:])
            if m:
                i += len(m.group(0))
                continue
        out.append(c)
        i += 1
    return ''.join(out)


def functions(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    state = {'block': False, 'str': False, 'raw': None}
    code = [strip(l, state) for l in lines]
    found = []
    skip_until = -1
    i = 0
    while i < len(code):
        if i <= skip_until:
            i += 1
            continue
        if lines[i].strip().startswith('#[cfg(test)]'):
            # skip the next item entirely
            j = i + 1
            depth = 0
            started = False
            while j < len(code):
                depth += code[j].count('{') - code[j].count('}')
                if '{' in code[j]:
                    started = True
                if started and depth <= 0:
                    break
                if not started and code[j].rstrip().endswith(';'):
                    break
                j += 1
            skip_until = j
            i = j + 1
            continue
        m = FN.match(code[i])
        if m:
            depth = 0
            started = False
            j = i
            while j < len(code):
                depth += code[j].count('{') - code[j].count('}')
                if '{' in code[j]:
                    started = True
                if not started and code[j].rstrip().endswith(';'):
                    break
                if started and depth <= 0:
                    found.append((j - i + 1, path, i + 1, m.group(7)))
                    break
                j += 1
        i += 1
    return found


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    all_fns = []
    for d, _, files in os.walk(root):
        for name in files:
            if name.endswith('.rs') and name != 'tests.rs':
                all_fns.extend(functions(os.path.join(d, name)))
    long = sorted((f for f in all_fns if f[0] > limit), reverse=True)
    for n, path, line, name in long:
        print(f'{n:5}  {os.path.relpath(path, os.path.join(root, ".."))}:{line}  {name}')
    print(f'{len(long)} functions over {limit} lines; longest {long[0][0] if long else 0}')
    sys.exit(1 if long and long[0][0] > 150 else 0)


if __name__ == '__main__':
    main()
