# The two commands of the README's quick start, and a few for development.
.PHONY: demo test setup clean

demo: ## Start the demo: local S3 with a seeded bucket, a demo home, JupyterLab with the extension
	bash scripts/setup.sh
	.venv/bin/python demo/demo.py $(ARGS)

test: ## Install what is needed and run every test suite
	bash scripts/test.sh

setup: ## Create .venv with the package built and installed
	bash scripts/setup.sh

clean:
	rm -rf .venv dist dist.log lib node_modules ui-tests/node_modules jupyterlab_datalake/labextension tsconfig.tsbuildinfo
