import pytest

from storyline.lang.names import same_person


@pytest.mark.parametrize(
    ("a", "b"),
    [("Zelensky", "Volodymyr Zelenskyy"), ("Yevgeny Perebeinis", "Yevhen Perebeinis"), ("Andrey Yermak", "Andriy Yermak"),
     ("Dmitry Peskov", "Dmytro Peskov"), ("Oleksii Kuleba", "Alexei Kuleba"), ("Vadim Pristaiko", "Vadym Prystaiko")],
)
def test_transliteration_variants_are_one_person(a, b):
    assert same_person(a, b)


@pytest.mark.parametrize(("a", "b"), [("Dmytro Kuleba", "Oleksii Kuleba"), ("Boris Pistorius", "Vadym Prystaiko")])
def test_different_people_stay_apart(a, b):
    assert not same_person(a, b)
