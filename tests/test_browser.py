"""A person's path through the site in headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright; scripts/install-browser.sh
installs it): open a telegram, follow a highlighted name to the person's
page, follow the thread to the telegram it answers, run a saved query on
the query page and read the table."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, FIXTURES
from test_sparql_endpoint import Server

from cable_kg.cli import main
from cable_kg.web import Settings, create_app

CHROMIUM = os.environ.get("CABLE_KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)),
                                reason=f"no Chromium at {CHROMIUM}: run scripts/install-browser.sh")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("browser") / "store"
    result = CliRunner().invoke(main, ["load", str(DATA), str(FIXTURES), "--store", str(store)])
    assert result.exit_code == 0, result.output
    with Server(create_app(Settings(store=store, workers=2, timeout=10))) as s:
        yield s


@pytest.fixture(scope="module")
def page(server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(java_script_enabled=True)
        context.set_default_timeout(10000)
        # pages must work offline: nothing may be fetched from anywhere but this server
        outside = []
        context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(server.url)
                                             else (outside.append(route.request.url), route.abort())))
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        assert not outside, outside
        assert not errors, errors
        browser.close()


def test_telegram_person_thread_and_query_page(server, page):
    page.goto(f"{server.url}/telegram/1951-06-05-3410-stalin")  # the bare IRI: 303 to the HTML document
    assert page.url.endswith("/telegram/1951-06-05-3410-stalin.html")
    assert "Ciphered Telegram No. 3410" in page.locator("h1").inner_text()
    assert page.locator("pre.page-text a.m-person").count() >= 5

    # a name highlighted in the text leads to the person's page, which lists the telegrams
    page.locator("pre.page-text a.m-person", has_text="Peng Dehuai").first.click()
    page.wait_for_url("**/person/peng-dehuai.html")
    assert page.locator("h1").inner_text() == "Peng Dehuai"
    rows = page.locator("table.telegram-list tbody tr")
    assert rows.count() >= 3
    assert "1951-06-05" in page.locator("table.telegram-list").inner_text()
    page.go_back()
    page.wait_for_url("**/telegram/1951-06-05-3410-stalin.html")

    # the thread graph: follow the arrow to the telegram this one answers
    svg = page.locator("svg.thread")
    assert svg.is_visible()
    svg.locator('a[href="r117705.html"]').click()
    page.wait_for_url("**/telegram/r117705.html")
    assert "2580" in page.locator("h1").inner_text()
    assert page.locator("svg.thread g.current").count() == 1

    # the query page: pick a saved query, fill its parameter, run, read the table
    page.goto(f"{server.url}/query.html")
    page.select_option("#saved", "telegram")
    assert "SELECT DISTINCT ?property ?value" in page.locator("#query").input_value()
    page.fill("#p-id", "3410@1951-06-05")
    page.click("#run")
    page.wait_for_selector("table#results")
    headers = page.locator("table#results thead th").all_inner_texts()
    assert headers == ["property", "value", "value_label"]
    table = page.locator("table#results").inner_text()
    assert "https://schema.org/sender" in table and "Joseph Stalin" in table

    page.select_option("#saved", "people")
    page.click("#run")
    # the previous query's table is still there until the new one replaces it: wait for the new columns
    page.wait_for_function("() => document.querySelector('table#results thead')?.innerText.includes('name')")
    assert "name" in page.locator("table#results thead").inner_text()
    assert page.locator("table#results tbody tr").count() > 10
    # an IRI in the table is a link to its page
    page.locator("table#results tbody a", has_text="/person/stalin").first.click()
    page.wait_for_url("**/person/stalin.html")


def test_search_box(server, page):
    page.goto(f"{server.url}/")
    page.fill("header form.search input[name=q]", "Poles artillery")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_selector("ol.hits")
    assert page.locator("ol.hits li").count() >= 1
    assert page.locator("ol.hits mark").count() >= 1
