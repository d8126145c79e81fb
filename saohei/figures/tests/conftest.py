import pytest

from saohei.figures.tests.scenario import build


@pytest.fixture
def scenario(org):
    return build(org)
