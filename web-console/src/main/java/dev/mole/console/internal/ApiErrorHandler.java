package dev.mole.console.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.stream.Collectors;
import dev.mole.registry.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into an {@link ApiError} whose message says what to change, never a stack trace. */
@RestControllerAdvice
public class ApiErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e, HttpServletRequest request) {
        return answer(e.status(), e.getMessage(), request);
    }

    @ExceptionHandler(RegistryException.class)
    ResponseEntity<ApiError> registry(RegistryException e, HttpServletRequest request) {
        HttpStatus status = switch (e.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INVALID -> HttpStatus.BAD_REQUEST;
        };
        return answer(status, e.getMessage(), request);
    }

    /** What each POST needs at least, for the message answering a body that is not a JSON object. */
    private static final Map<String, String> REQUIRED_FIELDS = Map.of(
            "/api/curations", "inputUri",
            "/api/finetunes", "dataset and baseCheckpoint",
            "/api/evaluations", "base (or oracle)");

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return answer(HttpStatus.BAD_REQUEST, unreadableBody(e, request.getRequestURI()), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json (got "
                + e.getContentType() + ")", request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here", request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> parameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return answer(HttpStatus.BAD_REQUEST, "parameter " + e.getName() + " has a bad value '" + e.getValue() + "'",
                request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return answer(HttpStatus.NOT_FOUND, "nothing at " + request.getRequestURI(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage(), request);
    }

    private static String unreadableBody(HttpMessageNotReadableException e, String path) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return "unknown field '" + u.getPropertyName() + "' (known fields: " + known + ")";
        }
        if (cause instanceof MismatchedInputException m && m.getPath().isEmpty()) {
            String required = REQUIRED_FIELDS.get(path);
            return "the body must be a JSON object" + (required == null ? "" : " with at least " + required);
        }
        if (cause instanceof MismatchedInputException m) {
            return "field '" + fieldPath(m) + "' has the wrong type: " + m.getOriginalMessage().replaceAll("\\s+at \\[.*", "");
        }
        if (cause instanceof JsonProcessingException p) {
            return "the body is not valid JSON: " + p.getOriginalMessage();
        }
        return "a JSON object body is required";
    }

    private static String fieldPath(JsonMappingException m) {
        return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static ResponseEntity<ApiError> answer(HttpStatus status, String message, HttpServletRequest request) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(message, status.value(), request.getRequestURI()));
    }
}
