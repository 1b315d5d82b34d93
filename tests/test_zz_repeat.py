import pytest
from test_browser_offline import test_a_new_deployment_replaces_the_old_caches_and_keeps_what_was_offline as t

pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.mark.parametrize("n", range(8))
def test_repeat(browser, built_site, tmp_path, n):
    t(browser, built_site, tmp_path)
