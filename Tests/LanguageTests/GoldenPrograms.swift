/// Small programs with their expected output beside them, after Crafting Interpreters' test/*.lox.
///
/// `# expect: text` is the next line the program prints; `# result: text` is the
/// cell's result; `# error: line L, column C: Kind: message` is the error that stops it;
/// `# hint: text` is that error's hint.
enum GoldenPrograms {
    static let all: [(name: String, source: String)] = [
        ("arithmetic", """
        print(1 + 2 * 3)        # expect: 7
        print((1 + 2) * 3)      # expect: 9
        print(7 / 2, 7 % 2)     # expect: 3.5 1
        print(-2 ** 2)          # expect: -4
        print(1e3, 2.5e-1)      # expect: 1000 0.25
        """),
        ("strings", """
        greeting = "hello"
        print(greeting + ", " + 'world')   # expect: hello, world
        print("tab\\tand\\\\")              # expect: tab\tand\\
        print(greeting[0], greeting.length)  # expect: h 5
        """),
        ("lists and ranges", """
        xs = [3, 1, 4]
        print(xs[0], xs[-1], len(xs))   # expect: 3 4 3
        channels = 0..3
        print(channels, len(channels))  # expect: 0..3 4
        print(channels + [9])           # expect: [0, 1, 2, 3, 9]
        """),
        ("statements split inside brackets", """
        total = len([1,
                     2,
                     3])
        print(total)                    # expect: 3
        longer = 1 +
          2
        print(longer)                   # expect: 3
        """),
        ("result is the last expression", """
        x = 20
        x + 1
        # result: 21
        """),
        ("undefined name", """
        undefined_name
        # error: line 1, column 1: NameError: 'undefined_name' is not defined
        # hint: assign it first: undefined_name = ...
        """),
        ("misspelt variable", """
        learning_rate = 0.1
        print(learning_rat)
        # error: line 2, column 7: NameError: 'learning_rat' is not defined
        # hint: did you mean 'learning_rate'?
        """),
        ("misspelt builtin", """
        prnt("hi")
        # error: line 1, column 1: NameError: 'prnt' is not defined
        # hint: did you mean 'print'?
        """),
        ("type error on an operator", """
        x = 5
        1 / "a"
        # error: line 2, column 3: TypeError: cannot apply '/' to number and string
        # hint: arithmetic needs numbers on both sides
        """),
        ("division by zero", """
        print("before")   # expect: before
        1 / 0
        # error: line 2, column 3: ValueError: division by zero
        """),
        ("unknown argument name", """
        sleep(secs: 1)
        # error: line 1, column 7: ArgumentError: sleep has no argument 'secs'
        # hint: valid names: seconds
        """),
        ("wrong argument type", """
        sleep("long")
        # error: line 1, column 7: TypeError: argument 'seconds' of sleep expects a number, got string "long"
        """),
        ("missing argument", """
        len()
        # error: line 1, column 1: ArgumentError: len needs argument 'value' (any value)
        # hint: usage: len(value: any) -> number
        """),
        ("too many arguments", """
        len(1, 2)
        # error: line 1, column 8: ArgumentError: len takes at most 1 argument, got 2
        # hint: usage: len(value: any) -> number
        """),
        ("index out of range", """
        xs = [1, 2]
        xs[2]
        # error: line 2, column 4: ValueError: index 2 is out of range
        # hint: valid indices are 0 to 1 (or -2 to -1)
        """),
        ("unknown member", """
        "abc".lenght
        # error: line 1, column 7: NameError: string has no member 'lenght'
        # hint: did you mean 'length'?
        """),
        ("calling a number", """
        x = 3
        x(1)
        # error: line 2, column 1: TypeError: number is not callable
        # hint: only builtins can be called; help() lists them
        """),
        ("assigning to a builtin", """
        print = 3
        # error: line 1, column 1: NameError: 'print' is a builtin and cannot be assigned to
        # hint: choose another name, such as 'print_value'
        """),
        ("syntax error stops the whole cell", """
        print("never")
        x = )
        # error: line 2, column 5: SyntaxError: expected an expression, found ')'
        # hint: this bracket closes nothing
        """),
        ("two operators", """
        1 +* 2
        # error: line 1, column 4: SyntaxError: expected an expression, found '*'
        # hint: an operator needs a value on each side
        """),
        ("unterminated string", """
        print("abc)
        # error: line 1, column 7: SyntaxError: unterminated string
        # hint: close it with "
        """),
        ("python habits", """
        f = True
        # error: line 1, column 5: NameError: 'True' is not defined
        # hint: write 'true'
        """),
        ("equals for a named argument", """
        sleep(seconds = 1)
        # error: line 1, column 15: SyntaxError: named arguments use ':', not '='
        # hint: write 'name: value', as in classify(net, img, top: 3)
        """),
        ("range of fractions", """
        0..1.5
        # error: line 1, column 4: TypeError: a range needs whole numbers, got number 1.5
        """),
        ("logic needs bools", """
        1 and true
        # error: line 1, column 1: TypeError: 'and' needs true or false, got number
        """),
    ]
}
