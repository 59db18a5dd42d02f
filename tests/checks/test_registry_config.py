"""An install sees the registry configuration of the host and nothing else of its environment."""

from __future__ import annotations

from pathlib import Path

from asebench.checks.registry_config import registry_environment


def test_only_registry_variables_pass(tmp_path: Path) -> None:
    env = {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "npm_config_registry": "http://x.invalid/",
           "HTTPS_PROXY": "http://127.0.0.1:3128", "EXAMPLE_API_KEY": "secret", "HOME": "/root",
           "PIP_CONFIG_FILE": "/nonexistent", "AWS_SECRET_ACCESS_KEY": "secret", "PATH": "/x"}
    assert registry_environment(env, home=tmp_path, site_files=()) == {
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "npm_config_registry": "http://x.invalid/",
        "HTTPS_PROXY": "http://127.0.0.1:3128"}


def test_pip_configuration_files_become_variables_and_the_environment_wins(
    tmp_path: Path,
) -> None:
    config = tmp_path / "pip.conf"
    config.write_text("[global]\nindex-url = http://127.0.0.1:9/a\ncert = /etc/ssl/ca.pem\n"
                      "user = not-a-registry-key\n[install]\nfind-links = /opt/wheels\n")
    env = {"PIP_CONFIG_FILE": str(config), "PIP_CERT": "/etc/ssl/other.pem"}
    assert registry_environment(env, home=tmp_path, site_files=()) == {
        "PIP_INDEX_URL": "http://127.0.0.1:9/a", "PIP_FIND_LINKS": "/opt/wheels",
        "PIP_CERT": "/etc/ssl/other.pem"}


def test_npmrc_registry_settings_pass_and_tokens_never_do(tmp_path: Path) -> None:
    (tmp_path / ".npmrc").write_text(
        "registry=http://127.0.0.1:9/npm/\n@corp:registry=http://127.0.0.1:9/corp/\n"
        "//127.0.0.1:9/npm/:_authToken=NPM_TOKEN_CANARY\n_auth=BASIC_CANARY\n"
        "email=someone@example.org\ncafile=/etc/ssl/certs/ca.pem\n")
    result = registry_environment({}, home=tmp_path, site_files=())
    assert result == {"npm_config_registry": "http://127.0.0.1:9/npm/",
                      "npm_config_@corp:registry": "http://127.0.0.1:9/corp/",
                      "npm_config_cafile": "/etc/ssl/certs/ca.pem"}
    assert "CANARY" not in repr(result)


def test_site_wide_pip_configuration_is_read(tmp_path: Path) -> None:
    site = tmp_path / "etc-pip.conf"
    site.write_text("[global]\nextra-index-url = http://127.0.0.1:9/b\n")
    assert registry_environment({}, home=tmp_path, site_files=(site,)) == {
        "PIP_EXTRA_INDEX_URL": "http://127.0.0.1:9/b"}
