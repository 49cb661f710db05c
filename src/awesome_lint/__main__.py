"""``python -m awesome_lint`` and the ``awesome-lint`` script: the command, imported with the
cycle collector paused."""

import gc


def run() -> None:
    """Import the command, then run it.

    Importing it tracks some 25,000 new objects (classes, functions, their dictionaries) and
    makes no garbage: the ~40 collections the allocations would trigger find nothing. The
    collector is restored before the run, which pauses it where it knows there are no cycles.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        from awesome_lint.cli import main
    finally:
        gc.freeze()  # what the imports made lives until the end: never to be scanned again
        if collecting:
            gc.enable()
    main()


if __name__ == "__main__":
    run()
