"""A data file the package should carry but does not is an error that names the file and the repair."""

from __future__ import annotations

import pytest

from portfolio_graph import PortfolioGraphError
from portfolio_graph.sample import SAMPLE_ENV, PackageDataMissing, package_data, sample_dir


def test_a_missing_data_file_names_what_the_package_expected_and_how_to_repair_it():
    with pytest.raises(PackageDataMissing) as caught:
        package_data("no-such-sample")
    message = str(caught.value)
    assert "portfolio_graph/sample_data/no-such-sample" in message
    assert "reinstall" in message and SAMPLE_ENV in message
    assert isinstance(caught.value, PortfolioGraphError) and caught.value.exit_code == 1


def test_a_sample_folder_setting_that_points_nowhere_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv(SAMPLE_ENV, str(tmp_path / "missing"))
    with pytest.raises(PackageDataMissing, match="not a folder"):
        sample_dir()


def test_the_checkout_finds_its_sample():
    assert (sample_dir() / "nodes" / "Project.csv").is_file()
