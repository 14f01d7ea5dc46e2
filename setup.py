from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).parent
version = {}
exec((here / "framing" / "__init__.py").read_text().split("\n\n")[1], version)

setup(
    name="framing",
    version=version["__version__"],
    description="Where and how news text is slanted: loaded language, persuasion techniques and frames, fast and offline.",
    long_description=(here / "README.md").read_text(encoding="utf-8") if (here / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    packages=find_packages(include=["framing", "framing.*"]),
    include_package_data=True,
    package_data={"framing": ["models/*/*"]},
    install_requires=["scikit-learn>=1.2", "joblib", "numpy>=1.22", "datasets>=2.14"],
    extras_require={
        "test": ["pytest>=7", "pandas", "pyarrow"],
        "bench": ["vaderSentiment", "textblob"],
    },
    entry_points={"console_scripts": ["framing=framing.cli:main"]},
)
