"""The answer cache keeps what fits, each key's newest data only, least recently used out first."""

from kgservice.query.answer_cache import Answer, AnswerCache


def answer(size: int) -> Answer:
    return Answer.of(b"x" * size, "application/sparql-results+json")


def test_an_answer_is_served_only_for_the_version_it_was_computed_at() -> None:
    cache = AnswerCache(1000)
    cache.put(("q",), 3, answer(10))
    assert cache.get(("q",), 3) == answer(10)
    assert cache.get(("q",), 4) is None


def test_each_key_keeps_its_own_version_and_an_older_value_does_not_replace_a_newer() -> None:
    cache = AnswerCache(1000)
    cache.put(("a",), 1, answer(10))
    cache.put(("b",), 2, answer(10))  # another part of an answer moved on; a's did not
    assert cache.get(("a",), 1) == answer(10)
    cache.put(("b",), 1, answer(20))  # computed before the write that made version 2
    assert cache.get(("b",), 2) == answer(10)
    assert cache.get(("b",), 1) is None
    cache.put(("a",), 3, answer(30))
    assert cache.get(("a",), 1) is None
    assert cache.get(("a",), 3) == answer(30)


def test_the_least_recently_used_answer_goes_first_and_big_ones_are_not_kept() -> None:
    cache = AnswerCache(1000)
    for name in "abc":
        cache.put((name,), 1, answer(240))
    assert cache.get(("a",), 1) is not None  # now b is the least recently used
    cache.put(("d",), 1, answer(240))
    cache.put(("e",), 1, answer(240))
    assert [cache.get((n,), 1) is not None for n in "abcde"] == [True, False, True, True, True]
    cache.put(("big",), 1, answer(251))  # over a quarter of the cache
    assert cache.get(("big",), 1) is None
