package io.expertflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium through the system's chromedriver (Debian packages {@code
 * chromium} and {@code chromium-driver}), for the browser tests (the console's, the bench
 * report's): never a browser or driver fetched by Selenium Manager, no network of its own, a fresh
 * profile. Paths: {@code webdriver.chrome.driver} (default {@value #DEFAULT_DRIVER}) and {@code
 * expertflow.chromium} (default {@value #DEFAULT_BROWSER}); when either is missing the test fails
 * and says how to install them.
 */
public final class HeadlessChromium {
  public static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";
  public static final String DEFAULT_BROWSER = "/usr/bin/chromium";

  private HeadlessChromium() {}

  /**
   * A fresh browser, {@code width} CSS pixels wide, with its own profile in {@code profileParent}.
   */
  public static ChromeDriver start(Path profileParent, int width, int height) {
    Path driver = Path.of(System.getProperty("webdriver.chrome.driver", DEFAULT_DRIVER));
    Path browser = Path.of(System.getProperty("expertflow.chromium", DEFAULT_BROWSER));
    if (!Files.isExecutable(driver) || !Files.isExecutable(browser)) {
      throw new IllegalStateException(
          "the browser tests need Chromium and its driver: "
              + (Files.isExecutable(browser) ? "" : browser + " is missing; ")
              + (Files.isExecutable(driver) ? "" : driver + " is missing; ")
              + "install the Debian packages with 'apt-get install -y chromium chromium-driver'"
              + " (.ci/run does), or name other paths with -Dexpertflow.chromium=..."
              + " -Dwebdriver.chrome.driver=...");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory(profileParent, "chromium-profile-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    chrome.manage().window().setSize(new Dimension(width, height));
    return chrome;
  }

  /**
   * Clicks a form's button and waits until the browser has left the page and {@code arrived} holds:
   * the form posts and redirects, and reading at once may still see the page that asked.
   */
  public static void clickAndAwait(WebElement button, Callable<Boolean> arrived) {
    button.click();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> isGone(button) && arrived.call());
  }

  /** Whether {@code element} belongs to a page the browser has left. */
  private static boolean isGone(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (StaleElementReferenceException left) {
      return true;
    }
  }
}
