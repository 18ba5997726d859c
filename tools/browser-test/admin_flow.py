"""The web admin in headless Chromium, through nginx: run by scripts/browser-test.

Environment: BASE_URL (http://127.0.0.1:PORT), ADMIN_USER, ADMIN_PASSWORD, SCREENSHOTS (a folder).
Every step checks what a person would see; any failure raises, and the script exits non-zero.
"""

import json
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BASE_URL"].rstrip("/")
USER = os.environ["ADMIN_USER"]
PASSWORD = os.environ["ADMIN_PASSWORD"]
SHOTS = os.environ["SCREENSHOTS"]
PHONE = (412, 915)
DESKTOP = (1280, 900)


def step(text):
    print(f"browser-test: {text}", flush=True)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def resize(driver, width, height):
    """Sets the window size and waits until the page has been laid out again at it: a click
    located before the new layout lands where the element was, possibly on another one."""
    driver.set_window_size(width, height)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    )


def shoot(driver, name, size=DESKTOP):
    """Saves NAME.png at SIZE, the page's whole height."""
    resize(driver, *size)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    resize(driver, size[0], min(max(size[1], height + 40), 4000))
    driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
    resize(driver, *DESKTOP)


def wait_for(driver, what, condition, seconds=60):
    try:
        # The page may be replaced while it is read (a form's redirect, a reload): read it again.
        # chromedriver reports an element of a page being replaced as stale, missing, or with a
        # plain WebDriverException ("Node with given id does not belong to the document"), so
        # any WebDriver error is read again; one that lasts still fails, at the deadline.
        ignored = (WebDriverException, AssertionError)
        return WebDriverWait(driver, seconds, poll_frequency=0.2, ignored_exceptions=ignored).until(lambda d: condition(d))
    except Exception as error:
        # What the page showed, for whoever reads the failure.
        name = "failed-" + "".join(c if c.isalnum() else "-" for c in what)
        shown = ""
        try:
            driver.save_screenshot(os.path.join(SHOTS, name + ".png"))
            with open(os.path.join(SHOTS, name + ".html"), "w") as page:
                page.write(driver.page_source)
            shown = driver.execute_script("return document.body.innerText")[:3000]
        except Exception:
            pass
        how = f"timed out after {seconds} s" if isinstance(error, TimeoutException) else f"failed ({error.__class__.__name__})"
        raise AssertionError(
            f"{how} waiting for {what} on {driver.current_url} (page saved as {name}.png/.html); the page read:\n{shown}"
        ) from error


def submit_button(scope, label):
    """The submit button whose text is LABEL (case-insensitive) inside SCOPE."""
    for button in scope.find_elements(By.CSS_SELECTOR, "button, input[type=submit]"):
        text = (button.text or button.get_attribute("value") or "").strip().lower()
        if text == label.lower():
            return button
    raise AssertionError(f"no '{label}' button on {scope.current_url if hasattr(scope, 'current_url') else 'the form'}")


def fetch(driver, path):
    """GETs PATH from inside the page (same origin: the session cookie goes along); returns status and text."""
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'})
            .then(r => r.text().then(t => done([r.status, r.headers.get('content-disposition') || '', t.slice(0, 2000)])))
            .catch(e => done([0, '', String(e)]));
        """,
        path,
    )


def sign_in(driver):
    step("an /admin/ page without a session goes to the sign-in page")
    driver.get(BASE + "/admin/tasks")
    wait_for(driver, "the sign-in form", lambda d: "/admin/login" in d.current_url and d.find_elements(By.NAME, "password"))
    shoot(driver, "login", PHONE)
    step("a wrong password is refused")
    driver.find_element(By.NAME, "username").send_keys(USER)
    driver.find_element(By.NAME, "password").send_keys("not the password")
    driver.find_element(By.NAME, "password").submit()
    wait_for(driver, "the sign-in form again", lambda d: d.find_elements(By.NAME, "password"))
    assert "/admin/login" in driver.current_url, driver.current_url
    step("the right password signs in and returns to the page asked for")
    driver.find_element(By.NAME, "username").clear()
    driver.find_element(By.NAME, "username").send_keys(USER)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.NAME, "password").submit()
    wait_for(driver, "the tasks page", lambda d: d.current_url.rstrip("/").endswith("/admin/tasks"))
    cookies = {c["name"]: c for c in driver.get_cookies()}
    session = cookies.get("weather_admin")
    assert session and session.get("httpOnly"), f"session cookie missing or not HttpOnly: {cookies}"
    assert session.get("sameSite") in ("Strict", "Lax"), session


def enqueue(driver, task, args):
    """Fills the enqueue form and returns the job page's URL."""
    driver.get(BASE + "/admin/tasks/new")
    Select(driver.find_element(By.NAME, "task")).select_by_value(task)
    field = driver.find_element(By.NAME, "args")
    field.clear()
    field.send_keys(json.dumps(args))
    field.submit()
    wait_for(driver, "the job page", lambda d: "/admin/tasks/" in d.current_url and d.current_url.rstrip("/").split("/")[-1].isdigit())
    return driver.current_url


def bulk_update_progress(driver):
    step("enqueue bulk_weather_update from the admin and watch its progress bar reach the end")
    job_url = enqueue(driver, "bulk_weather_update", {"cities": "european_capitals"})
    seen = []

    def finished(d):
        bars = d.find_elements(By.TAG_NAME, "progress")
        if bars:
            value, top = bars[0].get_attribute("value"), bars[0].get_attribute("max")
            if value is not None and (not seen or seen[-1] != value):
                seen.append(value)
            return top not in (None, "", "0") and value == top and "succeeded" in d.page_source
        return False

    wait_for(driver, "the progress bar to reach the end", finished, seconds=120)
    step(f"progress values seen: {seen} (page updated without a reload: {driver.current_url == job_url})")
    assert driver.current_url == job_url
    # The page reloads itself once the job is over, to show the result and the attempts.
    time.sleep(3)
    shoot(driver, "job", DESKTOP)


def hostile_args(driver):
    step("hostile job arguments are shown as text, never run")
    hostile = "<script>window.__pwned = 1</script><img src=x onerror=window.__pwned=2>"
    enqueue(driver, "test_task", {"message": hostile})
    assert driver.execute_script("return window.__pwned === undefined"), "a script from job args ran"
    assert hostile in driver.find_element(By.TAG_NAME, "body").text, "the hostile text is not shown literally"
    driver.get(BASE + "/admin/tasks")
    assert driver.execute_script("return window.__pwned === undefined"), "a script from job args ran on the list"


def schedules(driver):
    step("pause and resume a schedule")
    driver.get(BASE + "/admin/schedules")
    shoot(driver, "schedules", DESKTOP)
    shoot(driver, "schedules-phone", PHONE)

    def row():
        for candidate in driver.find_elements(By.CSS_SELECTOR, "tr, .schedule, article, li"):
            if "health-check" in candidate.text and candidate.find_elements(By.TAG_NAME, "form"):
                return candidate
        raise AssertionError("no health-check row with forms on /admin/schedules")

    submit_button(row(), "Pause").click()
    wait_for(driver, "health-check paused", lambda d: "paused" in row().text.lower() and any(
        b.text.strip().lower() == "resume" for b in row().find_elements(By.CSS_SELECTOR, "button, input[type=submit]")))
    submit_button(row(), "Resume").click()
    wait_for(driver, "health-check resumed", lambda d: any(
        b.text.strip().lower() == "pause" for b in row().find_elements(By.CSS_SELECTOR, "button, input[type=submit]")))


def export_download(driver):
    step("start an export and download it through nginx")
    driver.get(BASE + "/admin/exports")
    form = None
    for candidate in driver.find_elements(By.TAG_NAME, "form"):
        if candidate.get_attribute("action").rstrip("/").endswith("/admin/exports"):
            form = candidate
    assert form is not None, "no form to start an export"
    try:
        Select(form.find_element(By.NAME, "format")).select_by_value("csv")
    except NoSuchElementException:
        pass
    form.submit()
    link = wait_for(driver, "a download link", lambda d: (d.refresh() or True) and d.find_elements(By.CSS_SELECTOR, "a[href*='/download']"), 90)
    href = link[0].get_attribute("href")
    status, disposition, text = fetch(driver, href)
    assert status == 200, f"download answered {status}: {text[:200]}"
    assert "attachment" in disposition, f"no attachment disposition: {disposition!r}"
    assert text.startswith("id,") or "city" in text.splitlines()[0], f"not the CSV: {text[:200]!r}"
    shoot(driver, "exports", DESKTOP)


def pages(driver):
    step("screenshots of the main pages")
    for name, path in (("dashboard", "/admin/"), ("tasks", "/admin/tasks"), ("workers", "/admin/workers"),
                       ("searches", "/admin/searches"), ("statistics", "/admin/statistics"), ("alerts", "/admin/alerts")):
        driver.get(BASE + path)
        assert driver.find_elements(By.TAG_NAME, "main"), f"{path} has no main content"
        assert "Error" not in driver.title, f"{path}: {driver.title}"
        shoot(driver, name, DESKTOP)
    driver.get(BASE + "/admin/")
    shoot(driver, "dashboard-phone", PHONE)


def sign_out(driver):
    step("sign out; the old session cookie is refused afterwards")
    old = {c["name"]: c["value"] for c in driver.get_cookies()}["weather_admin"]
    driver.get(BASE + "/admin/")
    submit_button(driver, "Sign out").click()
    wait_for(driver, "the sign-in page", lambda d: "/admin/login" in d.current_url)
    driver.add_cookie({"name": "weather_admin", "value": old, "path": "/admin/"})
    driver.get(BASE + "/admin/tasks")
    wait_for(driver, "the sign-in page again", lambda d: "/admin/login" in d.current_url)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    driver = browser()
    try:
        driver.set_window_size(*DESKTOP)
        sign_in(driver)
        bulk_update_progress(driver)
        hostile_args(driver)
        schedules(driver)
        export_download(driver)
        pages(driver)
        sign_out(driver)
    except Exception:
        driver.save_screenshot(os.path.join(SHOTS, "failure.png"))
        print(f"browser-test: failed on {driver.current_url}", file=sys.stderr)
        raise
    finally:
        driver.quit()
    step("all steps passed")


if __name__ == "__main__":
    main()
