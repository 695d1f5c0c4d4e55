package io.scorepipe.api.system;

/** An upload passed the size limit; what was stored of it has been removed. */
public class UploadTooLargeException extends RuntimeException {

    public UploadTooLargeException(long limit) {
        super("the upload is larger than the limit of " + limit + " bytes");
    }
}
