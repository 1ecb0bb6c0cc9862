# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for the jmgpu documentation (sphinx-build -W).
project = 'jmgpu'
copyright = 'jmgpu developers'
master_doc = 'index'
extensions = []
exclude_patterns = ['_build']
html_theme = 'alabaster'
