"""Playwright settings for the web pages' tests: Debian's Chromium (never a browser Playwright downloads),
Vietnamese as the browser's language, and the server and people the Swift side (BrowserTests) prepared."""
import os

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": os.environ.get("HOSO_CHROMIUM", "/usr/bin/chromium"),
            "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "accept_downloads": True, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def hoso():
    """What the Swift side made: the server's URL, the people's password, a token, the cases."""
    return {key[5:].lower(): value for key, value in os.environ.items() if key.startswith("HOSO_")}


def sign_in(page, hoso, user, password=None):
    page.goto(hoso["url"] + "/ui/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password or hoso["password"])
    page.click("button[type=submit]")


def screenshot(page, hoso, name):
    page.screenshot(path=os.path.join(hoso["screens"], name + ".png"), full_page=True)
