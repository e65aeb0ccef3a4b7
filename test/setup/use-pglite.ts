process.env.TEST_DRIVER = 'pglite';
