"""The Jinja environment every template renders in: sandboxed, strict, autoescaped, and limited.

Templates sit in a folder coordinators edit, often on a shared drive, so a template is input
too. Jinja's sandbox keeps a template away from Python's internals but sets no limits; here:

- no `include`, `import` or `extends` (a Word template is one file; there is nothing to load);
- `range` gives at most `MAX_RANGE` numbers, `*` and `**` cannot build huge texts or numbers;
- a render gives at most `MAX_OUTPUT` characters and takes at most `TIME_LIMIT` seconds
  (checked as output is produced and at every call; in the main thread a timer also stops
  loops that produce nothing);
- a macro calling itself without end is stopped by Python's recursion limit.

Each limit raises `TemplateLimit`, whose message (Norwegian) says what the template does.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from types import FrameType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_RANGE = 10_000  # a meeting's lists hold tens of items; a loop over more is a mistake
MAX_OUTPUT = 20_000_000  # characters of XML per part: a long referat is some 200,000
MAX_SEQUENCE = 1_000_000  # a text or list built with `*`
TIME_LIMIT = 5.0  # seconds per part; a document renders in milliseconds


class TemplateLimit(jinja2.TemplateError):
    """A template went past a limit; the message says which, in Norwegian."""


class NotAllowed(jinja2.TemplateSyntaxError):
    """A tag the sandbox refuses when parsing (`include`, `import`, `extends`); the message
    is Norwegian already."""


_LOADING = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
}


class LimitedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _range
        self._deadline: float | None = None

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for kind, word in _LOADING.items():
            node = next(tree.find_all(kind), None)
            if node is not None:
                raise NotAllowed(
                    f"«{{% {word} %}}» henter inn en annen mal, og det kan ikke en Word-mal gjøre",
                    node.lineno,
                    name,
                    filename,
                )
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _number(left) and _number(right) and abs(right) > 64:
            raise TemplateLimit("regner ut et altfor stort tall (med **)")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    if len(seq) * times > MAX_SEQUENCE:
                        raise TemplateLimit("lager en altfor lang tekst eller liste (med *)")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        __self.tick()
        return super().call(__context, __obj, *args, **kwargs)

    def tick(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise _too_slow()

    @staticmethod
    def concat(pieces: Iterable[str]) -> str:  # Template.render joins the output with this
        out: list[str] = []
        size = 0
        env = _current.env
        for count, piece in enumerate(pieces):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TemplateLimit(
                    "lager altfor mye tekst (en løkke som gjentas for mange ganger?)"
                )
            out.append(piece)
            if env is not None and count % 256 == 0:
                env.tick()
        return "".join(out)

    @contextlib.contextmanager
    def limits(self) -> Iterator[None]:
        """Around one render: the time limit (and the output limit's bookkeeping)."""
        previous_env, previous_deadline = _current.env, self._deadline
        self._deadline = time.monotonic() + TIME_LIMIT
        _current.env = self
        with _alarm(TIME_LIMIT + 0.5):
            try:
                yield
            except RecursionError:
                raise TemplateLimit(
                    "bruker seg selv i det uendelige (en makro som kaller seg selv?)"
                ) from None
            finally:
                _current.env, self._deadline = previous_env, previous_deadline


class _Current(threading.local):
    env: LimitedEnvironment | None = None


_current = _Current()


def _too_slow() -> TemplateLimit:
    return TemplateLimit(
        f"bruker mer enn {TIME_LIMIT:g} sekunder (løkker inni løkker som gjentas for mange ganger?)"
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"lager en løkke over mer enn {MAX_RANGE} tall (med range)")
    return numbers


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """A timer that stops a render stuck in loops that call nothing, in the main thread only
    (signals go there); elsewhere the checks in `concat` and `call` do."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0]:  # someone else's timer: leave it be
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise _too_slow()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def environment() -> LimitedEnvironment:
    return LimitedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
